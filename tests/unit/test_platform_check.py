from __future__ import annotations

from desktop_pos.platform_check import display_problem


def test_no_display_on_linux_explains_what_to_do() -> None:
    message = display_problem({}, "linux")
    assert message is not None
    assert "DISPLAY" in message and "xvfb-run" in message and "offscreen" in message


def test_offscreen_wayland_and_other_systems_need_nothing() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "win32") is None


def test_x_display_with_libraries_present_is_fine() -> None:
    # This machine has Qt's xcb libraries installed by the project's set-up script.
    assert display_problem({"DISPLAY": ":99"}, "linux") is None


def test_a_missing_library_is_named_with_its_debian_package(monkeypatch) -> None:
    from desktop_pos import platform_check

    monkeypatch.setitem(platform_check._XCB_LIBRARIES, "libdoes-not-exist.so.7", "libnothing7")
    message = display_problem({"DISPLAY": ":99"}, "linux")
    assert message is not None
    assert "sudo apt-get install -y libnothing7" in message
