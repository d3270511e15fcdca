"""The start-up check for Qt's system libraries: a message with an apt-get line, not an abort."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import main
from guiapp import system_libraries
from guiapp.system_libraries import (
    CORE_LIBRARIES,
    XCB_LIBRARIES,
    missing_packages,
    startup_problem,
    uses_xcb,
    xcb_plugin,
    xcb_problem,
)

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def _make_list(name: str) -> list[str]:
    """A package list from the Makefile (`NAME := a b \\ c`), as make reads it."""
    text = MAKEFILE.read_text().replace("\\\n", " ")
    match = re.search(rf"^{name} := (.*)$", text, re.MULTILINE)
    assert match, name
    return match.group(1).split()


def test_tables_match_the_makefile() -> None:
    # One list is measured; the app and the Makefile must not drift apart.
    assert sorted(set(CORE_LIBRARIES.values())) == sorted(_make_list("QT_DEBS"))
    display = _make_list("QT_DISPLAY_DEBS")
    assert set(XCB_LIBRARIES.values()) <= set(display)
    assert "libxcb-icccm4" in display and "libxcb-keysyms1" in display


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, True),  # Qt's default on Linux
        ({"DISPLAY": ":0"}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"}, True),
    ],
)
def test_uses_xcb(environ: dict[str, str], expected: bool) -> None:
    assert uses_xcb(environ) is expected


def test_missing_packages_lists_each_missing_package_once() -> None:
    table = {
        "libc.so.6": "libc6",
        "libnot-there-a.so.7": "no-such-package",
        "libnot-there-b.so.7": "no-such-package",
        "libnot-there-c.so.1": "other-package",
    }
    assert missing_packages(table) == ["no-such-package", "other-package"]


def test_a_plugin_that_cannot_load_gives_the_apt_line(tmp_path: Path) -> None:
    # A plugin that needs a library this system lacks, as libqxcb.so does on minimal Debian.
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"not a shared library")
    message = xcb_problem(plugin, {"libnot-there.so.4": "libnot-there4"})
    assert message is not None
    assert "cannot open the window" in message
    assert "sudo apt-get install -y" in message and "libnot-there4" in message


def test_a_plugin_that_loads_is_no_problem() -> None:
    assert xcb_problem(Path("libc.so.6")) is None  # any library that loads
    assert xcb_problem(None) is None  # no plugin found: leave it to Qt


def test_offscreen_needs_no_check() -> None:
    assert startup_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_the_wheel_has_the_xcb_plugin() -> None:
    plugin = xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"


def test_main_prints_the_problem_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = "sudo apt-get install -y libxcb-icccm4"
    monkeypatch.setattr(system_libraries, "startup_problem", lambda: f"missing\n  {line}\n")
    assert main.main([]) == 1
    err = capsys.readouterr().err
    assert line in err and "Traceback" not in err
    assert "command line (classify, train, evaluate) works" in err
