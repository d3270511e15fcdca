"""Layering rules, checked on what Python actually imports (sys.modules) and on the AST.

* ``training`` and every ``training.*`` module import neither PySide6 nor pyqtgraph.
* The GUI starts without TensorFlow or Keras: importing ``guiapp.app`` and
  ``guiapp.main_window`` (what ``main.py`` runs) leaves them out of ``sys.modules``;
  they load later, on worker threads.
* ``guiapp`` never builds or trains models itself: no ``build_model``/``.fit``/
  ``.compile`` calls, and only worker modules import TensorFlow, Keras, the modules
  that need them, or ``training.predictor`` at module level (training goes through
  ``training.train``).
* Classifying needs no TensorFlow: the predictor, the LiteRT runtime, the twin check
  and the command line import neither TensorFlow nor Keras; only the TensorFlow
  runtime and the converter do (the slim build leaves those two out).
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Modules that run on worker threads and may import the heavy libraries.
WORKER_MODULES = {"guiapp.model_library", "guiapp.train_worker"}
HEAVY = {
    "tensorflow",
    "keras",
    "training.predictor",
    "training.keras_runtime",
    "training.export",
}
# The modules that need TensorFlow at import; the slim build leaves them out.
TENSORFLOW_MODULES = {
    "training.keras_runtime",
    "training.export",
    "training.keras_hooks",
    "training.augment",
    "training.explain_keras",
    "training.drawing_ops",
}
# Whether other training.* modules pull TensorFlow in is checked where it matters,
# on what start-up really imports (test_gui_starts_without_tensorflow).
# Calls that build or train a model: the GUI hands that to training.train().
BUILDER_CALLS = {"build_model", "compile_model", "fit", "compile", "fit_generator"}


def _modules_after(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the top-level modules it loaded."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={"QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {name.split(".")[0] for name in json.loads(result.stdout.strip().splitlines()[-1])}


def _training_modules() -> list[str]:
    import training

    return sorted(f"training.{m.name}" for m in pkgutil.iter_modules(training.__path__))


def test_training_never_imports_qt() -> None:
    imports = "\n".join(f"import {name}" for name in ["training", *_training_modules()])
    loaded = _modules_after(imports)
    assert not loaded & {"PySide6", "pyqtgraph", "shiboken6"}


def test_gui_starts_without_tensorflow() -> None:
    loaded = _modules_after("import guiapp.app, guiapp.main_window")
    assert "PySide6" in loaded
    assert not loaded & {"tensorflow", "keras"}
    assert "pyqtgraph" not in loaded  # built after the window shows


def _module_level_imports(tree: ast.Module) -> set[str]:
    """Modules imported at module level (including under ``if``/``try``, not TYPE_CHECKING)."""
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                pending.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend(node.body + node.orelse + node.finalbody)
    return names


def _called_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


@pytest.mark.parametrize("path", sorted((REPO / "guiapp").glob("*.py")), ids=lambda p: p.name)
def test_guiapp_never_builds_or_trains_and_keeps_tensorflow_in_workers(path: Path) -> None:
    module = f"guiapp.{path.stem}"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    builders = _called_names(tree) & BUILDER_CALLS
    assert not builders, f"{module} calls {sorted(builders)}: model building belongs in training/"
    if module in WORKER_MODULES:
        return
    heavy = {n for n in _module_level_imports(tree) if n in HEAVY or n.split(".")[0] in HEAVY}
    assert not heavy, f"{module} imports {sorted(heavy)} at module level; only worker modules may"


def test_job_results_and_progress_records_need_no_tensorflow() -> None:
    """The GUI thread imports these (the worker module, results, progress records):
    TensorFlow must load only when a job runs, on the worker thread."""
    loaded = _modules_after(
        "import training.job, training.progress, training.evaluation, training.prediction, "
        "training.compositing, training.trainer, training.models, training.cli"
    )
    assert not loaded & {"tensorflow", "keras"}


def test_classifying_needs_no_tensorflow() -> None:
    """What classifying imports (CLI, predictor, LiteRT runtime, twins): never TensorFlow."""
    loaded = _modules_after(
        "import training.cli, training.predictor, training.litert_runtime, training.twin, "
        "training.flavour, guiapp.model_library, guiapp.export_dialog"
    )
    assert "ai_edge_litert" in loaded
    assert not loaded & {"tensorflow", "keras"}


def test_only_the_tensorflow_modules_import_it_at_module_level() -> None:
    """Everything else in training/ must work in the slim build (no TensorFlow)."""
    for path in sorted((REPO / "training").glob("*.py")):
        module = f"training.{path.stem}"
        heavy = {
            n
            for n in _module_level_imports(ast.parse(path.read_text(encoding="utf-8")))
            if n.split(".")[0] in {"tensorflow", "keras"} or n in TENSORFLOW_MODULES
        }
        if module not in TENSORFLOW_MODULES:
            assert not heavy, f"{module} imports {sorted(heavy)} at module level"


def _imported_training_modules(path: Path) -> set[str]:
    """training.* modules ``path`` imports anywhere (in functions too), except for typing."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
        for stmt in branch.body
        for node in ast.walk(stmt)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {n for n in names if n.startswith("training.")}


def test_training_modules_import_each_other_without_cycles() -> None:
    graph = {
        f"training.{path.stem}": _imported_training_modules(path)
        for path in (REPO / "training").glob("*.py")
        if path.stem != "__init__"
    }
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, f"import cycle: {' -> '.join((*trail, module))}"
        if module in done:
            return
        for imported in graph.get(module, ()):
            visit(imported, (*trail, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
