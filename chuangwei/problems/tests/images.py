"""In-memory test and demo images built with Pillow (no pytest here: the demo generator
imports ``scene_jpeg`` too).

``make_jpeg`` writes real EXIF (DateTimeOriginal, a GPS IFD, orientation) through Pillow's
``Image.Exif`` API, so the code under test reads what a phone would have written.
"""

from __future__ import annotations

import io
import random
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

SHANGHAI = ZoneInfo("Asia/Shanghai")
Colour = tuple[int, int, int]
_MICRO_ARCSEC_PER_DEGREE = 3600 * 1_000_000


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Degrees, minutes and seconds (to a millionth of a second) as EXIF rationals."""
    total = round(abs(value) * _MICRO_ARCSEC_PER_DEGREE)
    degrees, rest = divmod(total, _MICRO_ARCSEC_PER_DEGREE)
    minutes, micro_seconds = divmod(rest, 60 * 1_000_000)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(micro_seconds, 1_000_000)


def build_exif(
    *,
    gps: tuple[float, float] | None = None,
    time: datetime | None = None,
    orientation: int | None = None,
) -> Image.Exif:
    """EXIF with an optional GPS position ``(lng, lat)``, DateTimeOriginal and orientation.

    An aware ``time`` is written as Shanghai wall-clock time, as a phone here would.
    """
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if time is not None:
        if time.tzinfo is not None:
            time = time.astimezone(SHANGHAI).replace(tzinfo=None)
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        sub[ExifTags.Base.DateTimeOriginal] = time.strftime("%Y:%m:%d %H:%M:%S")
    if gps is not None:
        lng, lat = gps
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        ifd[ExifTags.GPS.GPSVersionID] = b"\x02\x03\x00\x00"
        ifd[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        ifd[ExifTags.GPS.GPSLatitude] = _dms(lat)
        ifd[ExifTags.GPS.GPSLongitudeRef] = "E" if lng >= 0 else "W"
        ifd[ExifTags.GPS.GPSLongitude] = _dms(lng)
    return exif


def _canvas(
    width: int, height: int, color: Colour, text: str | None, mode: str = "RGB"
) -> Image.Image:
    fill: tuple[int, ...] = (*color, 255) if mode == "RGBA" else color
    image = Image.new(mode, (width, height), fill)
    if text:
        draw = ImageDraw.Draw(image)
        draw.text((10, 10), _ascii(text), fill=(0, 0, 0), font=_font(max(10, height // 12)))
    return image


def make_jpeg(
    width: int = 800,
    height: int = 600,
    color: Colour = (120, 160, 200),
    text: str | None = None,
    exif_gps: tuple[float, float] | None = None,
    exif_time: datetime | None = None,
    exif_orientation: int | None = None,
    quality: int = 85,
) -> bytes:
    """A plain JPEG, optionally with text and EXIF GPS ``(lng, lat)``, time and orientation."""
    image = _canvas(width, height, color, text)
    exif = build_exif(gps=exif_gps, time=exif_time, orientation=exif_orientation)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def make_png(
    width: int = 800,
    height: int = 600,
    color: Colour = (120, 160, 200),
    text: str | None = None,
    alpha: bool = False,
) -> bytes:
    """A plain PNG (RGBA when ``alpha``), optionally with text."""
    image = _canvas(width, height, color, text, mode="RGBA" if alpha else "RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def uploaded(
    data: bytes, name: str = "p.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    """The bytes as Django hands an upload to a view."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def _mix(first: Colour, second: Colour, t: float) -> Colour:
    return (
        round(first[0] + (second[0] - first[0]) * t),
        round(first[1] + (second[1] - first[1]) * t),
        round(first[2] + (second[2] - first[2]) * t),
    )


def _jitter(rng: random.Random, colour: Colour, spread: int) -> Colour:
    return (
        max(0, min(255, colour[0] + rng.randint(-spread, spread))),
        max(0, min(255, colour[1] + rng.randint(-spread, spread))),
        max(0, min(255, colour[2] + rng.randint(-spread, spread))),
    )


def _draw_background(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> int:
    """Sky, buildings, ground and kerb for a street corner; returns the horizon's y."""
    horizon = rng.randint(height * 3 // 10, height * 6 // 10)
    sky_top = _jitter(rng, (70, 130, 200), 40)
    sky_low = _jitter(rng, (200, 220, 235), 20)
    for y in range(horizon):
        draw.line([(0, y), (width, y)], fill=_mix(sky_top, sky_low, y / max(1, horizon)))
    x = rng.randint(-60, 0)
    while x < width:
        w = rng.randint(width // 10, width // 4)
        top = rng.randint(height // 20, max(height // 20 + 1, horizon - 20))
        wall = _jitter(rng, rng.choice([(180, 170, 160), (150, 150, 160), (200, 190, 170)]), 30)
        draw.rectangle([x, top, x + w, horizon], fill=wall)
        for wy in range(top + 12, horizon - 14, 26):
            for wx in range(x + 8, x + w - 14, 22):
                lit = rng.random() < 0.3
                draw.rectangle(
                    [wx, wy, wx + 10, wy + 12], fill=(240, 230, 150) if lit else (60, 80, 100)
                )
        x += w + rng.randint(0, 30)
    ground = _jitter(rng, rng.choice([(120, 120, 120), (150, 140, 120), (110, 115, 105)]), 15)
    draw.rectangle([0, horizon, width, height], fill=ground)
    for _ in range(1500):
        gx, gy = rng.randrange(width), rng.randint(horizon, height - 1)
        draw.point((gx, gy), fill=_jitter(rng, ground, 35))
    kerb_left, kerb_right = (
        rng.randint(horizon + 10, height - 40),
        rng.randint(horizon + 10, height - 40),
    )
    draw.line([(0, kerb_left), (width, kerb_right)], fill=(215, 215, 205), width=rng.randint(6, 14))
    for _ in range(rng.randint(0, 2)):
        tx, r = rng.randrange(width), rng.randint(height // 10, height // 5)
        ty = rng.randint(horizon - r, horizon + r // 2)
        draw.rectangle([tx - r // 8, ty, tx + r // 8, ty + 2 * r], fill=(90, 60, 35))
        draw.ellipse([tx - r, ty - r, tx + r, ty + r], fill=_jitter(rng, (50, 110, 50), 25))
    return horizon


def _draw_garbage(
    draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int, horizon: int
) -> None:
    """A pile of brown polygons and a few bags on the ground."""
    cx = rng.randint(width // 4, width * 3 // 4)
    cy = rng.randint(horizon + (height - horizon) // 3, height - 60)
    for _ in range(rng.randint(18, 30)):
        px, py = cx + rng.randint(-110, 110), cy + rng.randint(-50, 40)
        points = [
            (px + rng.randint(-45, 45), py + rng.randint(-35, 35)) for _ in range(rng.randint(3, 6))
        ]
        shade = rng.uniform(0.55, 1.35)
        brown = (min(255, round(110 * shade)), min(255, round(75 * shade)), round(40 * shade))
        draw.polygon(points, fill=brown)
    for _ in range(rng.randint(3, 6)):
        bx, by = cx + rng.randint(-120, 100), cy + rng.randint(-40, 30)
        colour = rng.choice([(235, 235, 235), (40, 60, 150), (30, 30, 30)])
        draw.ellipse([bx, by, bx + rng.randint(30, 50), by + rng.randint(25, 40)], fill=colour)


def _draw_bin(
    draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int, horizon: int
) -> None:
    """A green litter bin at the kerb: the spot, cleaned."""
    bx = rng.randint(width // 8, width * 7 // 8 - 40)
    by = rng.randint(horizon + 10, height - 90)
    draw.rectangle([bx, by, bx + 36, by + 60], fill=(30, 120, 60))
    draw.rectangle([bx - 3, by - 6, bx + 39, by], fill=(20, 90, 45))


def scene_jpeg(
    seed: int,
    kind: Literal["before", "after"] = "before",
    label: str = "",
    *,
    width: int = 800,
    height: int = 600,
) -> bytes:
    """A recognisable street scene, the same for the same arguments (~30–60 KB at 800×600).

    The background (sky, buildings, ground) depends only on ``seed``, so the before and
    after pictures of one seed show the same spot: ``before`` adds a garbage pile,
    ``after`` a clean ground with a litter bin. ``label`` is printed in a box at the
    bottom (ASCII; other characters become ``?``).
    """
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = _draw_background(draw, rng, width, height)
    detail = random.Random(f"{seed}:{kind}")
    if kind == "before":
        _draw_garbage(draw, detail, width, height, horizon)
    else:
        _draw_bin(draw, detail, width, height, horizon)
    if label:
        font = _font(max(12, height // 24))
        text = _ascii(label)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        y = height - (bottom - top) - 24
        draw.rectangle([8, y - 6, 8 + (right - left) + 16, height - 10], fill=(0, 0, 0))
        draw.text((16, y - top), text, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
