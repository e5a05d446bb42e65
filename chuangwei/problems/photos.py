"""Photo evidence for the rectification ledger: validate, store, and check photos.

``validate_upload`` runs for every upload before a row is written, so a bad file changes
nothing. ``store_photo`` keeps the original bytes untouched and writes a thumbnail and a
public copy without EXIF (faces, plates and positions must not leak on public pages).
The selectors at the end answer the office's two questions about after-photos: was it
taken at the same spot as the before-photos, and was it reused from another problem?
See docs/photos.md.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final, Protocol, TypedDict
from zoneinfo import ZoneInfo

import imagehash
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from chuangwei.core.errors import InvalidInput
from chuangwei.lib import geo

from .choices import PhotoKind
from .models import Problem, ProblemEvent, ProblemPhoto

SHANGHAI: Final = ZoneInfo("Asia/Shanghai")
DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
MIN_SIDE_PX: Final = 64
THUMBNAIL_PX: Final = 320
THUMBNAIL_QUALITY: Final = 80
PUBLIC_PX: Final = 1600
PUBLIC_QUALITY: Final = 85
# Formats we accept, with the extension of the stored original and its content type.
FORMATS: Final[dict[str, tuple[str, str]]] = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
# An after-photo further than this from every before-photo is flagged (same-spot check).
SAME_SPOT_MAX_M: Final = 50.0
# Hamming distance (of 64 bits) up to which two perceptual hashes count as the same picture.
REUSE_MAX_DISTANCE: Final = 4
# Hash prefix (hex chars) that candidates must share; see reused_photo_matches.
REUSE_BUCKET_CHARS: Final = 4
# Most candidates compared per check, newest first, so one crowded bucket cannot stall a page.
REUSE_CANDIDATE_LIMIT: Final = 2000

_EXIF_TIME_FORMATS: Final = ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S")
# EXIF orientations that turn the picture by 90° (width and height swap).
_ROTATED_ORIENTATIONS: Final = frozenset({5, 6, 7, 8})


class PhotoFile(Protocol):
    """What we need of an upload: Django's UploadedFile and File, or any binary file object.

    ``size`` and ``name`` are read with ``getattr`` when present.
    """

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> Any: ...


class PhotoRejected(InvalidInput):
    """An uploaded photo was refused; ``code`` says why, ``fields`` names ``photos``.

    Codes: ``photo_too_large``, ``photo_not_image``, ``photo_too_small``,
    ``photo_decompression_bomb``.
    """

    code = "photo_rejected"
    default_message = _("The photo cannot be accepted.")

    def __init__(self, message: Any, *, code: str) -> None:
        super().__init__(message, code=code, fields={"photos": [message]})


def max_photo_bytes() -> int:
    """The largest upload accepted, from ``settings.CHUANGWEI_MAX_PHOTO_BYTES``."""
    return int(getattr(settings, "CHUANGWEI_MAX_PHOTO_BYTES", DEFAULT_MAX_BYTES))


def _too_large(max_bytes: int) -> PhotoRejected:
    return PhotoRejected(
        _("The photo is larger than %(max)s MB.") % {"max": f"{max_bytes / 1048576:g}"},
        code="photo_too_large",
    )


def _not_image() -> PhotoRejected:
    return PhotoRejected(
        _("The file is not a photo. Upload a JPEG, PNG or WebP image."), code="photo_not_image"
    )


def _damaged() -> PhotoRejected:
    return PhotoRejected(
        _("The photo is damaged or incomplete. Take or choose it again."),
        code="photo_not_image",
    )


def _bomb() -> PhotoRejected:
    return PhotoRejected(
        _("The photo has too many pixels to be processed safely."),
        code="photo_decompression_bomb",
    )


def _declared_size(file: PhotoFile) -> int | None:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    try:
        end = file.seek(0, io.SEEK_END)
        return end if isinstance(end, int) else None
    except (OSError, ValueError):
        return None


def _read_bytes(file: PhotoFile) -> bytes:
    """All bytes of the upload, refusing an oversize one before reading it.

    At most ``max + 1`` bytes are read, so a file whose ``size`` lies is still caught.
    """
    max_bytes = max_photo_bytes()
    size = _declared_size(file)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes)
    file.seek(0)
    data = file.read(max_bytes + 1)
    if not isinstance(data, bytes):
        raise _not_image()
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _open(data: bytes) -> Image.Image:
    """Open (not decode) the bytes as one of the accepted formats, with the pixel guard."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _not_image() from exc
    # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that; we refuse at the limit.
    # An explicit check (not a warnings filter) because filters are process-global.
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and image.width * image.height > limit:
        image.close()
        raise _bomb()
    if image.width < MIN_SIDE_PX or image.height < MIN_SIDE_PX:
        image.close()
        raise PhotoRejected(
            _("The photo is too small: it must be at least %(min)s pixels on each side.")
            % {"min": MIN_SIDE_PX},
            code="photo_too_small",
        )
    return image


def _check_image(data: bytes) -> None:
    with _open(data) as image:
        try:
            image.verify()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _damaged() from exc
    # verify() does not decode JPEG scans, so decode for real; a JPEG draft decodes at up
    # to 1/8 scale but still walks the whole stream, which finds truncated files cheaply.
    with _open(data) as image:
        try:
            image.draft("RGB", (MIN_SIDE_PX, MIN_SIDE_PX))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb() from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _damaged() from exc


def validate_upload(file: PhotoFile) -> None:
    """Refuse a file that is not a photo we can store; call it before writing anything.

    Checks the size first (an oversize upload is refused without reading it), then opens
    it with Pillow (JPEG, PNG or WebP only), verifies it, and decodes a small draft to catch
    truncated files. The file is rewound afterwards. Raises PhotoRejected with code
    ``photo_too_large``, ``photo_not_image``, ``photo_too_small`` or
    ``photo_decompression_bomb``.
    """
    try:
        _check_image(_read_bytes(file))
    finally:
        file.seek(0)


# EXIF -----------------------------------------------------------------------------------


def _exif_time(exif: Image.Exif) -> datetime | None:
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = sub.get(ExifTags.Base.DateTimeOriginal)
    if not isinstance(raw, str):
        return None
    text = raw.strip("\x00 ")
    for fmt in _EXIF_TIME_FORMATS:
        try:
            naive = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    else:
        return None
    offset = sub.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, str):
        try:
            aware = datetime.strptime(f"{text[:19]} {offset.strip()}", f"{fmt} %z")
            return aware
        except ValueError:
            pass
    # Phones write local wall-clock time without a zone; ours is China Standard Time.
    return naive.replace(tzinfo=SHANGHAI)


def _degrees(value: Any, ref: Any, negative: str) -> float | None:
    try:
        deg, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    total = deg + minutes / 60.0 + seconds / 3600.0
    if total != total:  # NaN: a rational with a zero denominator
        return None
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -total if isinstance(ref, str) and ref.strip("\x00 ").upper() == negative else total


def _exif_position(exif: Image.Exif) -> tuple[float, float] | None:
    """EXIF GPS as decimal WGS-84 ``(lng, lat)``; GPS receivers report WGS-84 even in China."""
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if not gps or gps.get(ExifTags.GPS.GPSStatus) == "V":  # "V": no fix when taken
        return None
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
    lng = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    if lng is None or lat is None or (lng == 0.0 and lat == 0.0):
        return None
    try:
        return geo.validate_point(lng, lat)
    except geo.GeometryError:
        return None


def _read_exif(
    image: Image.Image,
) -> tuple[Image.Exif, datetime | None, tuple[float, float] | None]:
    # EXIF is untrusted: a corrupt block loses the metadata, never the photo.
    try:
        exif = image.getexif()
        return exif, _exif_time(exif), _exif_position(exif)
    except Exception:
        return Image.Exif(), None, None


# Storing --------------------------------------------------------------------------------


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels only; transparency is laid on white, as a photo print would show it."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, long_edge: int, quality: int) -> tuple[Image.Image, bytes]:
    copy = image.copy()
    copy.thumbnail((long_edge, long_edge), Image.Resampling.LANCZOS)
    # Nothing of the source travels: no EXIF, ICC, XMP or comment.
    copy.info = {}
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=quality, optimize=True, exif=b"")
    return copy, buffer.getvalue()


def _client_position(lng: float | None, lat: float | None) -> tuple[float | None, float | None]:
    """The device's position if it is a valid point, else nothing (it is advisory only)."""
    if lng is None or lat is None:
        return None, None
    try:
        return geo.validate_point(lng, lat)
    except geo.GeometryError:
        return None, None


def store_photo(
    problem: Problem,
    file: PhotoFile,
    *,
    kind: str,
    by: Any,
    event: ProblemEvent | None = None,
    now: datetime | None = None,
    client_lng: float | None = None,
    client_lat: float | None = None,
) -> ProblemPhoto:
    """Store one photo of ``problem``: original, thumbnail, public copy, then the row.

    Reads the file once. Records sha256, the perceptual hash, the size after EXIF rotation,
    the EXIF time (naive times are Shanghai time) and GPS position (None when absent), and
    the device position ``client_lng``/``client_lat`` (WGS-84; dropped if not a valid
    point). Call ``validate_upload`` first; this raises PhotoRejected like it on bad input.
    """
    now = now or timezone.now()
    data = _read_bytes(file)
    with _open(data) as image:
        if image.format not in FORMATS:
            raise _not_image()
        extension, content_type = FORMATS[image.format]
        exif, taken_at, exif_point = _read_exif(image)
        width, height = image.size
        if exif.get(ExifTags.Base.Orientation) in _ROTATED_ORIENTATIONS:
            width, height = height, width
        # A JPEG can decode at a reduced scale for free; ask for what the public copy needs.
        scale = PUBLIC_PX / max(image.size)
        if scale < 1:
            image.draft("RGB", (int(image.width * scale) + 1, int(image.height * scale) + 1))
        try:
            upright = _flatten(ImageOps.exif_transpose(image))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb() from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _damaged() from exc
    public, public_bytes = _jpeg(upright, PUBLIC_PX, PUBLIC_QUALITY)
    thumbnail_bytes = _jpeg(public, THUMBNAIL_PX, THUMBNAIL_QUALITY)[1]
    lng, lat = _client_position(client_lng, client_lat)
    photo = ProblemPhoto(
        problem=problem,
        event=event,
        kind=kind,
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        phash=str(imagehash.phash(public)),
        taken_at=taken_at,
        exif_lng=exif_point[0] if exif_point else None,
        exif_lat=exif_point[1] if exif_point else None,
        client_lng=lng,
        client_lat=lat,
        uploaded_by=by,
        created_at=now,
    )
    stem = uuid.uuid4().hex
    # DESIGN: uploads are written before the row that points at them commits. If the
    # caller's transaction rolls back, these files stay behind as orphans (harmless, and a
    # cleanup can sweep them); the opposite, a row without its file, never happens.
    # Stored as problems/<problem id>/… (the fields' upload_to is the "problems/" folder).
    folder = f"{photo.problem_id}/{stem}"
    photo.original.save(f"{folder}.{extension}", ContentFile(data), save=False)
    photo.thumbnail.save(f"{folder}_t.jpg", ContentFile(thumbnail_bytes), save=False)
    photo.public_copy.save(f"{folder}_p.jpg", ContentFile(public_bytes), save=False)
    photo.save(force_insert=True)
    return photo


# Selectors ------------------------------------------------------------------------------


def photo_position(photo: ProblemPhoto) -> tuple[float, float] | None:
    """The best-known WGS-84 ``(lng, lat)`` of a photo: EXIF GPS, else the device's."""
    if photo.exif_lng is not None and photo.exif_lat is not None:
        return photo.exif_lng, photo.exif_lat
    if photo.client_lng is not None and photo.client_lat is not None:
        return photo.client_lng, photo.client_lat
    return None


def same_spot_distance_m(before: ProblemPhoto, after: ProblemPhoto) -> float | None:
    """Metres between where two photos were taken, or None if either position is unknown.

    Uses each photo's best-known position (EXIF GPS, else the device position).
    """
    first, second = photo_position(before), photo_position(after)
    if first is None or second is None:
        return None
    try:
        return geo.distance_m(first[0], first[1], second[0], second[1])
    except geo.GeometryError:
        return None


def hash_distance(first: str, second: str) -> int:
    """Hamming distance between two hex perceptual hashes (64 when either is missing)."""
    if not first or not second or len(first) != len(second):
        return 64
    return (int(first, 16) ^ int(second, 16)).bit_count()


def _reuse_matches(
    photos: Sequence[ProblemPhoto], problem_id: int, max_distance: int
) -> dict[int, list[ProblemPhoto]]:
    """For each photo, the photos of other problems that look the same; one query for all."""
    condition = Q()
    for photo in photos:
        condition |= Q(sha256=photo.sha256)
        if len(photo.phash) == 16:
            # A prefix as a range of the (lower-case hex) hash: both databases walk the
            # index; LIKE 'abcd%' made SQLite scan every photo (2 s at 3M photos).
            prefix = photo.phash[:REUSE_BUCKET_CHARS]
            condition |= Q(phash__gte=prefix, phash__lt=prefix + "g")
    found: dict[int, list[ProblemPhoto]] = {photo.pk: [] for photo in photos}
    if not photos:
        return found
    candidates = list(
        ProblemPhoto.objects.filter(condition)
        .exclude(problem_id=problem_id)
        .select_related("problem")
        .order_by("-created_at", "-id")[:REUSE_CANDIDATE_LIMIT]
    )
    for photo in photos:
        scored = [
            (hash_distance(photo.phash, other.phash), other)
            for other in candidates
            if other.sha256 == photo.sha256
            or hash_distance(photo.phash, other.phash) <= max_distance
        ]
        scored.sort(key=lambda pair: (pair[0], pair[1].created_at, pair[1].pk))
        found[photo.pk] = [pair[1] for pair in scored]
    return found


def reused_photo_matches(
    photo: ProblemPhoto, *, max_distance: int = REUSE_MAX_DISTANCE
) -> list[ProblemPhoto]:
    """Photos of *other* problems that are the same picture as ``photo``, closest first.

    Same bytes (sha256) or a perceptual hash within ``max_distance`` bits. For scale, the
    database only returns candidates with the same sha256 or the same first four hex
    characters of the phash (an indexed prefix query); the Hamming distance is computed
    here. Trade-off: a re-encoded or resized copy usually keeps those leading bits (they
    are the lowest DCT frequencies, the most stable), but a near-copy that differs in them
    is missed. At most ``REUSE_CANDIDATE_LIMIT`` newest candidates are compared.
    """
    return _reuse_matches([photo], photo.problem_id, max_distance)[photo.pk]


class AfterPhotoCheck(TypedDict):
    """The checks of one after-photo, for the problem detail page."""

    photo: ProblemPhoto
    nearest_before: ProblemPhoto | None
    distance_m: float | None  # to the nearest before-photo with a known position
    far: bool  # distance_m > the same-spot limit
    reused_from: list[ProblemPhoto]  # photos of other problems that look the same
    reused: bool


class PhotoChecks(TypedDict):
    """Summary of the photo checks of one problem."""

    after: list[AfterPhotoCheck]
    max_distance_m: float
    far_count: int
    reused_count: int
    flagged: bool


def _nearest(
    after: ProblemPhoto, befores: Iterable[ProblemPhoto]
) -> tuple[ProblemPhoto | None, float | None]:
    best: tuple[ProblemPhoto | None, float | None] = (None, None)
    for before in befores:
        distance = same_spot_distance_m(before, after)
        if distance is not None and (best[1] is None or distance < best[1]):
            best = (before, distance)
    return best


def photo_checks(
    problem: Problem,
    *,
    max_distance_m: float = SAME_SPOT_MAX_M,
    max_hash_distance: int = REUSE_MAX_DISTANCE,
) -> PhotoChecks:
    """Same-spot and reuse checks of every after-photo of ``problem`` (detail page).

    Same spot: the distance to the nearest before-photo, flagged ``far`` beyond
    ``max_distance_m`` (None, unflagged, when a position is missing). Reuse: flagged when
    the photo matches a photo of another problem (see ``reused_photo_matches``).
    Two queries in all.
    """
    photos = list(ProblemPhoto.objects.filter(problem_id=problem.pk))
    befores = [p for p in photos if p.kind == PhotoKind.BEFORE]
    afters = [p for p in photos if p.kind == PhotoKind.AFTER]
    matches = _reuse_matches(afters, problem.pk, max_hash_distance)
    checks: list[AfterPhotoCheck] = []
    for after in afters:
        nearest, distance = _nearest(after, befores)
        checks.append(
            AfterPhotoCheck(
                photo=after,
                nearest_before=nearest,
                distance_m=distance,
                far=distance is not None and distance > max_distance_m,
                reused_from=matches[after.pk],
                reused=bool(matches[after.pk]),
            )
        )
    far_count = sum(check["far"] for check in checks)
    reused_count = sum(check["reused"] for check in checks)
    return PhotoChecks(
        after=checks,
        max_distance_m=max_distance_m,
        far_count=far_count,
        reused_count=reused_count,
        flagged=bool(far_count or reused_count),
    )


__all__ = [
    "PhotoRejected",
    "hash_distance",
    "max_photo_bytes",
    "photo_checks",
    "photo_position",
    "reused_photo_matches",
    "same_spot_distance_m",
    "store_photo",
    "validate_upload",
]
