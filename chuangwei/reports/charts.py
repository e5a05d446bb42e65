"""Simple bar charts drawn with Pillow for the .docx (no matplotlib on the server)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
COLORS = ("#1f6feb", "#2da44e", "#d29922", "#cf222e")


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A CJK font if the server has one (Noto/WenQuanYi/PingFang/YaHei), else Pillow's own."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    width: int = 1200,
    height: int = 560,
) -> bytes:
    """Grouped vertical bars, one group per label, one colour per series; PNG bytes."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title_font, label_font, small = font(30), font(20), font(18)
    draw.text((width // 2, 14), title, fill="#222222", font=title_font, anchor="ma")
    left, right, top, bottom = 70, width - 20, 90, height - 70
    largest = max([v for _name, values in series for v in values] + [1])
    top_value = 4 * math.ceil(largest / 4)  # four whole-number steps
    draw.line((left, top, left, bottom), fill="#888888", width=2)
    draw.line((left, bottom, right, bottom), fill="#888888", width=2)
    for step in range(1, 5):
        y = bottom - (bottom - top) * step / 4
        draw.line((left, y, right, y), fill="#e5e5e5", width=1)
        draw.text(
            (left - 8, y), f"{top_value * step // 4}", fill="#555555", font=small, anchor="rm"
        )
    groups = max(1, len(labels))
    group_w = (right - left) / groups
    bar_w = max(2.0, group_w * 0.8 / max(1, len(series)))
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s, (_name, values) in enumerate(series):
            value = values[g] if g < len(values) else 0
            h = (bottom - top) * value / top_value
            bx = x0 + s * bar_w
            draw.rectangle((bx, bottom - h, bx + bar_w - 2, bottom), fill=COLORS[s % len(COLORS)])
            if value:
                draw.text(
                    (bx + bar_w / 2, bottom - h - 4),
                    f"{value:g}",
                    fill="#333333",
                    font=small,
                    anchor="md",
                )
        draw.text(
            (left + (g + 0.5) * group_w, bottom + 8),
            label[:6],
            fill="#333333",
            font=label_font,
            anchor="ma",
        )
    legend_x = left
    for s, (name, _values) in enumerate(series):
        draw.rectangle((legend_x, 56, legend_x + 22, 74), fill=COLORS[s % len(COLORS)])
        draw.text((legend_x + 28, 65), name, fill="#333333", font=label_font, anchor="lm")
        legend_x += 40 + int(draw.textlength(name, font=label_font))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
