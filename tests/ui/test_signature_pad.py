"""ПОДПИСЬ ПОКУПАТЕЛЯ: drawing with the mouse, a finger and a pen; ✓, ✗, clear and the keys;
the signature as ``data:image/png;base64,…`` of at most 4000 characters (Assist's limit)."""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QEventPoint, QInputDevice, QPointingDevice, QTabletEvent, QTouchEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop_pos.ui import theme
from desktop_pos.ui.signature_ink import (
    DATA_URL_PREFIX,
    MAX_SIGNATURE_CHARS,
    StrokePoint,
    encode_signature,
)
from desktop_pos.ui.signature_pad import SignatureCanvas, SignaturePad


@pytest.fixture
def pad(qtbot: QtBot) -> SignaturePad:
    shown = SignaturePad()
    shown.setStyleSheet(theme.load_style_sheet())  # the application's sheet, as in the app
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def button(pad: SignaturePad, name: str) -> QPushButton:
    found = pad.findChild(QPushButton, name)
    assert found is not None, name
    return found


def decode(url: str) -> Image.Image:
    assert url.startswith(DATA_URL_PREFIX)
    png = base64.b64decode(url[len(DATA_URL_PREFIX) :], validate=True)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def ink_pixels(image: Image.Image) -> int:
    return sum(image.convert("L").histogram()[:128])


def drag(qtbot: QtBot, canvas: SignatureCanvas, points: list[QPoint]) -> None:
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(canvas, point)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=points[-1])


def scribble(rng: random.Random, canvas: SignatureCanvas, count: int) -> list[QPoint]:
    width, height = canvas.width(), canvas.height()
    x, y = rng.randrange(width), rng.randrange(height)
    points = []
    for _ in range(count):
        x = min(width - 1, max(0, x + rng.randint(-60, 60)))
        y = min(height - 1, max(0, y + rng.randint(-60, 60)))
        points.append(QPoint(x, y))
    return points


def test_confirm_is_disabled_until_something_is_drawn(qtbot: QtBot, pad: SignaturePad) -> None:
    confirm = button(pad, "signatureConfirmButton")
    assert not confirm.isEnabled() and not pad.can_confirm() and not pad.has_signature()
    with qtbot.assertNotEmitted(pad.accepted):
        pad.confirm()
    drag(qtbot, pad.canvas(), [QPoint(100, 100), QPoint(160, 140), QPoint(260, 120)])
    assert confirm.isEnabled() and pad.has_signature()
    assert pad.canvas().strokes() == [
        (StrokePoint(100, 100, 4.0), StrokePoint(160, 140, 4.0), StrokePoint(260, 120, 4.0))
    ]
    with qtbot.waitSignal(pad.accepted) as accepted:
        qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    image = decode(accepted.args[0])
    assert image.mode == "1" and ink_pixels(image) > 0


def test_a_click_without_moving_leaves_a_dot(qtbot: QtBot, pad: SignaturePad) -> None:
    qtbot.mouseClick(pad.canvas(), Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    assert pad.can_confirm()
    image = decode(pad.signature_data_url())
    assert ink_pixels(image) > 0


def test_the_title_and_the_clear_button_in_the_top_right_corner(
    qtbot: QtBot, pad: SignaturePad, tmp_path: Path
) -> None:
    title = pad.findChild(QLabel, "signatureTitle")
    assert title is not None and title.text() == "ПОДПИСЬ ПОКУПАТЕЛЯ"
    clear = button(pad, "signatureClearButton")
    corner = clear.mapTo(pad, QPoint(clear.width(), 0))
    assert corner.x() > pad.width() - 40 and corner.y() < 20
    cancel, confirm = button(pad, "signatureCancelButton"), button(pad, "signatureConfirmButton")
    assert (cancel.text(), confirm.text()) == ("✗", "✓")
    assert cancel.mapTo(pad, QPoint(0, 0)).x() < confirm.mapTo(pad, QPoint(0, 0)).x()
    for control in (clear, cancel, confirm):
        assert control.height() >= theme.BUTTON_MIN_HEIGHT
    # the field takes most of a 1280×800 screen and everything fits on it
    assert pad.canvas().width() >= 1100 and pad.canvas().height() >= 500
    assert confirm.mapTo(pad, QPoint(confirm.width(), confirm.height())).y() <= 800
    path = tmp_path / "signature_pad.png"
    assert pad.grab().save(str(path))
    assert Image.open(path).size == (1280, 800)


def test_clear_by_button_and_by_keys(qtbot: QtBot, pad: SignaturePad) -> None:
    canvas = pad.canvas()
    clear = button(pad, "signatureClearButton")
    assert not clear.isEnabled()
    for how in ("button", Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
        drag(qtbot, canvas, [QPoint(50, 50), QPoint(300, 200)])
        assert pad.can_confirm() and clear.isEnabled()
        if how == "button":
            qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(canvas, how)
        assert canvas.strokes() == [] and canvas.point_count() == 0
        assert not pad.can_confirm() and not clear.isEnabled()
        assert canvas.hasFocus()
    drag(qtbot, canvas, [QPoint(60, 60), QPoint(90, 200)])  # a new signature after clearing
    assert len(canvas.strokes()) == 1


def test_keyboard_enter_confirms_only_when_drawn_and_esc_cancels(
    qtbot: QtBot, pad: SignaturePad
) -> None:
    canvas = pad.canvas()
    canvas.setFocus()
    assert canvas.focusPolicy() == Qt.FocusPolicy.StrongFocus
    with qtbot.assertNotEmitted(pad.accepted):
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
        qtbot.keyClick(canvas, Qt.Key.Key_Enter)
    drag(qtbot, canvas, [QPoint(400, 300), QPoint(500, 260), QPoint(600, 330)])
    with qtbot.waitSignal(pad.accepted) as accepted:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert len(accepted.args[0]) <= MAX_SIGNATURE_CHARS
    with qtbot.waitSignal(pad.cancelled), qtbot.assertNotEmitted(pad.accepted):
        qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    with qtbot.waitSignal(pad.cancelled):
        qtbot.mouseClick(button(pad, "signatureCancelButton"), Qt.MouseButton.LeftButton)


def test_long_random_scribbles_fit_in_4000_characters(qtbot: QtBot, pad: SignaturePad) -> None:
    rng = random.Random(20240607)
    canvas = pad.canvas()
    for _ in range(6):
        drag(qtbot, canvas, scribble(rng, canvas, 120))
    assert len(canvas.strokes()) == 6 and canvas.point_count() > 500
    url = pad.signature_data_url()
    assert len(url) <= 4000
    image = decode(url)
    assert image.mode == "1"
    assert ink_pixels(image) > 0
    # cropped to the ink: black touches every edge of the picture
    mono = image.convert("L")
    width, height = mono.size
    assert mono.crop((0, 0, width, 2)).getextrema()[0] == 0
    assert mono.crop((0, height - 2, width, height)).getextrema()[0] == 0
    assert mono.crop((0, 0, 2, height)).getextrema()[0] == 0
    assert mono.crop((width - 2, 0, width, height)).getextrema()[0] == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_thousands_of_points_and_smaller_limits_still_give_a_png(
    qapp: QApplication, seed: int
) -> None:
    rng = random.Random(seed)
    strokes = []
    for _ in range(25):
        x, y = rng.uniform(0, 1200), rng.uniform(0, 600)
        points = []
        for _ in range(rng.randint(80, 200)):
            x = min(1200.0, max(0.0, x + rng.uniform(-50, 50)))
            y = min(600.0, max(0.0, y + rng.uniform(-50, 50)))
            points.append(StrokePoint(x, y, rng.choice((2.0, 4.0, 6.5))))
        strokes.append(points)
    for limit in (MAX_SIGNATURE_CHARS, 2000, 600):
        url = encode_signature(strokes, limit)
        assert len(url) <= limit
        assert ink_pixels(decode(url)) > 0


def test_a_small_signature_keeps_its_size(qapp: QApplication) -> None:
    strokes = [[StrokePoint(500, 300, 4.0), StrokePoint(540, 320, 4.0), StrokePoint(600, 300, 4.0)]]
    image = decode(encode_signature(strokes))
    assert image.size == (104, 24)  # the ink's bounds: 100 × 20 plus the pen width


def test_an_empty_field_still_gives_a_valid_png(qtbot: QtBot, pad: SignaturePad) -> None:
    image = decode(pad.signature_data_url())
    assert image.size == (1, 1) and ink_pixels(image) == 0
    with pytest.raises(ValueError):
        encode_signature([], max_chars=40)
    with pytest.raises(ValueError):
        encode_signature([[StrokePoint(0, 0, 4), StrokePoint(900, 400, 4)]], max_chars=60)


# -- touch and pen -----------------------------------------------------------------------------


def touch(canvas: SignatureCanvas, device: QPointingDevice, kind: QEvent.Type, points) -> None:
    event_points = []
    for point_id, state, local in points:
        at = canvas.mapToGlobal(QPointF(local))
        event_points.append(QEventPoint(point_id, state, at, at))
    QApplication.sendEvent(
        canvas, QTouchEvent(kind, device, Qt.KeyboardModifier.NoModifier, event_points)
    )


def test_a_finger_draws(qtbot: QtBot, pad: SignaturePad) -> None:
    canvas = pad.canvas()
    device = QPointingDevice(
        "test touch screen",
        7001,
        QInputDevice.DeviceType.TouchScreen,
        QPointingDevice.PointerType.Finger,
        QInputDevice.Capability.Position,
        5,
        0,
    )
    pressed, moved, released = (
        QEventPoint.State.Pressed,
        QEventPoint.State.Updated,
        QEventPoint.State.Released,
    )
    touch(canvas, device, QEvent.Type.TouchBegin, [(0, pressed, QPointF(100, 100))])
    for x in range(120, 400, 20):
        touch(canvas, device, QEvent.Type.TouchUpdate, [(0, moved, QPointF(x, 100 + x / 4))])
    touch(canvas, device, QEvent.Type.TouchEnd, [(0, released, QPointF(420, 210))])
    [stroke] = canvas.strokes()
    assert len(stroke) == 16
    assert (stroke[0].x, stroke[0].y) == pytest.approx((100, 100))
    assert (stroke[-1].x, stroke[-1].y) == pytest.approx((420, 210))
    assert pad.can_confirm()
    # two fingers at once draw two strokes; a cancelled touch ends them
    touch(
        canvas,
        device,
        QEvent.Type.TouchBegin,
        [(1, pressed, QPointF(600, 300)), (2, pressed, QPointF(700, 300))],
    )
    touch(
        canvas,
        device,
        QEvent.Type.TouchUpdate,
        [(1, moved, QPointF(620, 340)), (2, moved, QPointF(720, 340))],
    )
    QApplication.sendEvent(
        canvas, QTouchEvent(QEvent.Type.TouchCancel, device, Qt.KeyboardModifier.NoModifier, [])
    )
    assert [len(s) for s in canvas.strokes()] == [16, 2, 2]
    assert ink_pixels(decode(pad.signature_data_url())) > 0


def test_a_pen_draws_with_its_pressure(qtbot: QtBot, pad: SignaturePad) -> None:
    canvas = pad.canvas()
    device = QPointingDevice(
        "test pen",
        7002,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        1,
    )

    def pen(kind: QEvent.Type, x: float, pressure: float) -> None:
        at = QPointF(x, 250 + (x % 37))
        event = QTabletEvent(
            kind,
            device,
            at,
            canvas.mapToGlobal(at),
            pressure,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(canvas, event)
        assert event.isAccepted()

    pen(QEvent.Type.TabletMove, 80, 0.0)  # hovering draws nothing
    assert canvas.strokes() == []
    pen(QEvent.Type.TabletPress, 100, 0.1)
    for step in range(1, 30):
        pen(QEvent.Type.TabletMove, 100 + step * 15, step / 30)
    pen(QEvent.Type.TabletRelease, 560, 0.5)
    pen(QEvent.Type.TabletMove, 600, 0.0)
    [stroke] = canvas.strokes()
    assert len(stroke) == 31
    widths = [point.width for point in stroke]
    assert widths[0] < widths[15] < widths[29]
    assert min(widths) > 0
    url = pad.signature_data_url()
    assert len(url) <= MAX_SIGNATURE_CHARS and ink_pixels(decode(url)) > 0
