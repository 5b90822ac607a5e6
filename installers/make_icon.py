"""Draw the application icon: resources/icons/desktop-pos.png (256 px) and .ico (Windows).

A receipt on a blue rounded square; run ``.venv/bin/python installers/make_icon.py`` to redraw
it after a change. The files are committed, so a build does not need this script.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZE = 256
BLUE = (31, 94, 168, 255)
PAPER = (255, 255, 255, 255)
INK = (60, 60, 60, 255)
GREEN = (46, 160, 67, 255)


def draw_icon(size: int = SIZE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    scale = size / SIZE

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return (round(x0 * scale), round(y0 * scale), round(x1 * scale), round(y1 * scale))

    draw.rounded_rectangle(box(8, 8, 248, 248), radius=round(44 * scale), fill=BLUE)
    # The receipt, with a zigzag tear at the bottom.
    left, right, top, bottom = 70, 186, 36, 206
    draw.rectangle(box(left, top, right, bottom), fill=PAPER)
    teeth = 6
    width = (right - left) / teeth
    for tooth in range(teeth):
        x = left + tooth * width
        points = [(x, bottom), (x + width / 2, bottom + 14), (x + width, bottom)]
        draw.polygon([(round(px * scale), round(py * scale)) for px, py in points], fill=PAPER)
    for row, length in enumerate((90, 70, 84, 60)):
        y = 62 + row * 24
        draw.rectangle(box(left + 14, y, left + 14 + length, y + 9), fill=INK)
    # The total line, in green: the sale went through.
    draw.rectangle(box(left + 14, 168, right - 14, 182), fill=GREEN)
    return image


def main() -> None:
    ICONS_DIR.mkdir(parents=True, exist_ok=True)
    icon = draw_icon()
    icon.save(ICONS_DIR / "desktop-pos.png")
    icon.save(
        ICONS_DIR / "desktop-pos.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )


if __name__ == "__main__":
    main()
