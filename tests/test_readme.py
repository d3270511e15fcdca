"""The README's commands still match the code: make targets, CLI flags, tool modules."""

from __future__ import annotations

import importlib.util
import re
import shlex

import pytest

from tests.conftest import REPO
from training.cli import build_parser

README = (REPO / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def _code_lines() -> list[str]:
    """Every line of the README's fenced code blocks, comments dropped."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.DOTALL)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _main_commands() -> list[str]:
    """``python main.py ...`` commands, in code blocks and in backticks."""
    found = [line for line in _code_lines() if line.startswith("python main.py ")]
    found += re.findall(r"`(python main\.py [^`]+)`", README)
    return found


def test_readme_has_the_commands_this_test_checks() -> None:
    commands = " ".join(_main_commands())
    for flag in ("--augment", "--lr-decay", "--architecture sketch-cnn", "--json"):
        assert flag in commands


@pytest.mark.parametrize("command", _main_commands())
def test_main_py_commands_parse(command: str) -> None:
    argv = shlex.split(command)[2:]
    args = build_parser().parse_args(argv)  # argparse exits on an unknown flag or value
    assert args.handler is not None


def test_documented_train_options_exist() -> None:
    train = build_parser()._subparsers._group_actions[0].choices["train"]
    flags = {flag for action in train._actions for flag in action.option_strings}
    section = README[README.index("`train` options:") : README.index("`--augment` trains")]
    documented = set(re.findall(r"--[a-z][a-z-]*", section))
    assert documented and documented <= flags, documented - flags
    for name in re.findall(r"--architecture ([a-z|-]+)", section)[0].split("|"):
        assert name in train._option_string_actions["--architecture"].choices


def test_make_targets_exist() -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, flags=re.MULTILINE))
    mentioned = set(re.findall(r"`make ([a-z-]+)`", README))
    mentioned |= {line.split()[1] for line in _code_lines() if line.startswith("make ")}
    assert {"run", "test", "test-fast", "lint", "screenshots"} <= mentioned
    assert mentioned <= targets, mentioned - targets


def test_tool_and_benchmark_scripts_exist() -> None:
    for module in re.findall(r"python -m (tools\.[a-z_]+)", README):
        assert importlib.util.find_spec(module) is not None, module
    for script in re.findall(r"(tests/benchmarks/[a-z_]+\.py)", README):
        assert (REPO / script).is_file(), script
