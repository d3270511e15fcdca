"""Keep the Korean translation in step with the source: update, build, check.

    python -m tools.translations update   # pyside6-lupdate: new strings into the .ts
    python -m tools.translations release  # pyside6-lrelease: the .ts into the .qm
    python -m tools.translations check    # exit 1, listing them, if any string is
                                          # missing from or unfinished in the .ts

``check`` never writes the .ts: it runs ``pyside6-lupdate`` on a temporary copy
(so a string added to the code but not yet to the file counts as missing), then
reads the copy with ``xml.etree``. A message is reported when its translation is
empty or marked unfinished, or when its ``{placeholders}`` differ from the
source's (a translation that drops or renames one would raise at run time).
Messages that vanished from the code (``vanished``/``obsolete``) are ignored;
``update`` keeps them in the file so a string that comes back keeps its
translation.

The .ts is written without source locations (``-locations none``): line numbers
change with every edit and would make every branch conflict in the file; the
check prints the locations from its temporary copy instead.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "guiapp"
"""Every user-visible string lives in guiapp/ (training/ has no Qt; see
guiapp/training_text.py for how its words are translated)."""
TS_FILES = (ROOT / "resources" / "translations" / "sketch_classifier_ko.ts",)

_FIELD = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Problem:
    """One message that needs a translator's attention."""

    context: str
    source: str
    why: str
    where: str

    def __str__(self) -> str:
        """One readable entry: where, which context, why, and the source text."""
        text = self.source.replace("\n", "\\n")
        return f"  {self.where or '?'} [{self.context}] {self.why}:\n    {text}"


def tool(name: str) -> str:
    """The path of ``pyside6-<name>`` beside this Python (the venv's), else on PATH."""
    beside = Path(sys.executable).with_name(f"pyside6-{name}")
    if beside.exists():
        return str(beside)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: install PySide6 (make .venv/.installed)")
    return found


def source_files() -> list[str]:
    """The Python files lupdate reads, relative to the repository root, sorted."""
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py"))


def lupdate(ts: Path, *, locations: str) -> None:
    """Run pyside6-lupdate on the sources into ``ts`` (existing translations kept)."""
    language = ts.stem.rsplit("_", 1)[-1]
    subprocess.run(
        [tool("lupdate"), *source_files(), "-ts", str(ts), "-locations", locations,
         "-source-language", "en", "-target-language", language, "-silent"],
        cwd=ROOT, check=True,
    )  # fmt: skip


def problems(ts: Path) -> list[Problem]:
    """The messages in ``ts`` that are unfinished, empty, or have other placeholders."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else None
            if kind in ("vanished", "obsolete"):
                continue
            source = message.findtext("source", "")
            text = (translation.text or "") if translation is not None else ""
            location = message.find("location")
            where = ""
            if location is not None:
                where = f"{location.get('filename', '')}:{location.get('line', '')}"
            if kind == "unfinished" or not text.strip():
                why = "missing" if not text.strip() else "unfinished"
                found.append(Problem(name, source, why, where))
            elif sorted(_FIELD.findall(source)) != sorted(_FIELD.findall(text)):
                found.append(Problem(name, source, "placeholders differ", where))
    return found


def check() -> int:
    """Report every string missing from or unfinished in each .ts; 1 if there is one."""
    status = 0
    for ts in TS_FILES:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / ts.name
            shutil.copyfile(ts, copy)
            lupdate(copy, locations="absolute")
            found = [_from_repo(problem, Path(folder)) for problem in problems(copy)]
        for problem in found:
            print(problem)
        print(f"{ts.relative_to(ROOT)}: {len(found)} string(s) to translate")
        if found:
            print("Run `make translations` to add new strings to the file, translate them "
                  "(in Qt Linguist: .venv/bin/pyside6-linguist FILE, or by hand), "
                  "then `make translations-check` again.")  # fmt: skip
            status = 1
    return status


def _from_repo(problem: Problem, folder: Path) -> Problem:
    """``problem`` with its location (relative to the .ts in ``folder``) relative to the repo."""
    if not problem.where:
        return problem
    filename, _, line = problem.where.rpartition(":")
    try:
        path = (folder / filename).resolve().relative_to(ROOT)
    except ValueError:
        return problem
    return Problem(problem.context, problem.source, problem.why, f"{path}:{line}")


def update() -> int:
    """Add new source strings to each .ts and mark vanished ones (translations kept)."""
    for ts in TS_FILES:
        lupdate(ts, locations="none")
        print(f"updated {ts.relative_to(ROOT)}")
    return 0


def release() -> int:
    """Compile each .ts into its .qm beside it."""
    for ts in TS_FILES:
        subprocess.run(
            [tool("lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
            check=True,
        )
        print(f"built {ts.with_suffix('.qm').relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The command line: update, release or check."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=("update", "release", "check"))
    args = parser.parse_args(argv)
    return {"update": update, "release": release, "check": check}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
