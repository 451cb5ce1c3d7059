"""Before Qt: a missing library of the xcb platform plugin gives one install command
and exit status 1, not Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui import xcb_check

ROOT = Path(__file__).resolve().parents[2]
X11 = {"DISPLAY": ":0"}


def _loader(missing: set[str]):
    def load(name: str) -> object:
        if name in missing:
            raise OSError(f"{name}: cannot open shared object file")
        return name
    return load


def _release(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "os-release"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("release", "command"), [
    ('ID=debian\n', "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"),
    ('ID=linuxmint\nID_LIKE="ubuntu debian"\n',
     "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"),
    ('ID=fedora\n', "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms"),
    ('ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n',
     "sudo zypper install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"),
    ('ID=arch\n', "sudo pacman -S --needed xcb-util-cursor xcb-util-wm xcb-util-keysyms"),
])
def test_one_install_command_for_the_system(tmp_path, release, command) -> None:
    missing = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    message = xcb_check.xcb_problem(X11, _loader(missing), _release(tmp_path, release),
                                    "linux")
    assert message is not None
    assert f"    {command}\n" in message
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1" in message


def test_packages_shared_by_several_libraries_are_named_once(tmp_path) -> None:
    missing = ["libxcb-xkb.so.1", "libxcb-shape.so.0", "libxcb-randr.so.0"]
    assert xcb_check.install_command(missing, _release(tmp_path, "ID=fedora\n")) == (
        "sudo dnf install libxcb")


def test_nothing_to_say_when_everything_loads_or_xcb_is_not_used(tmp_path) -> None:
    release = _release(tmp_path, "ID=debian\n")
    all_missing = _loader(set(xcb_check.XCB_LIBRARIES))
    assert xcb_check.xcb_problem(X11, _loader(set()), release, "linux") is None
    for environ in ({}, {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"},
                    {"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"},
                    {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}):
        assert xcb_check.xcb_problem(environ, all_missing, release, "linux") is None
    assert xcb_check.xcb_problem(X11, all_missing, release, "darwin") is None
    assert xcb_check.xcb_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, all_missing,
                                 release, "linux") is not None


def test_the_real_loader_finds_the_c_library() -> None:
    assert xcb_check.missing_libraries(["libc.so.6", "libprotocol-desk-none.so.9"]) == [
        "libprotocol-desk-none.so.9"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux only")
def test_the_app_exits_with_status_1_and_the_command_before_qt_loads(tmp_path) -> None:
    script = (
        "import sys\n"
        "from ui import launcher, xcb_check\n"
        "xcb_check.XCB_LIBRARIES['libprotocol-desk-missing.so.0'] = "
        "('libprotocol-desk-missing0',) * 3\n"
        "code = launcher.main([])\n"
        "assert 'PySide6' not in sys.modules\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "DISPLAY": ":99", "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT),
           "PROTOCOL_APP_HOME": str(tmp_path / "home")}
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "libprotocol-desk-missing.so.0" in result.stderr
    assert "libprotocol-desk-missing0" in result.stderr.splitlines()[-3]  # the command
    assert "qt.qpa.plugin" not in result.stderr and "Traceback" not in result.stderr
