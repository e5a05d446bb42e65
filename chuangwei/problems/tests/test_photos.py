"""Photo evidence: validation, storage (original, thumbnail, public copy), EXIF, checks."""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction
from PIL import ExifTags, Image

from chuangwei.lib import geo
from chuangwei.places.tests.factories import GridFactory, SiteTypeFactory
from chuangwei.problems import photos, services
from chuangwei.problems.choices import PhotoKind
from chuangwei.problems.models import Problem, ProblemPhoto
from chuangwei.problems.tests.images import build_exif, make_jpeg, make_png, scene_jpeg, uploaded
from chuangwei.standards.models import ProblemCategory
from chuangwei.standards.services import save_problem_category

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
SPOT = (117.012345, 34.812345)
METRES_PER_DEGREE = geo.EARTH_RADIUS_M * math.pi / 180


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def new_problem(org_tree: dict[str, Any], personas: dict[str, Any]) -> Callable[[], Problem]:
    SiteTypeFactory()
    GridFactory(unit=org_tree["community_a"], bounds=(117.0, 34.8, 117.02, 34.82))
    category = save_problem_category(
        ProblemCategory(
            kind="matter",
            code="06010",
            name="暴露垃圾",
            deadline_amount=4,
            deadline_unit="work_hours",
        ),
        by=None,
    )

    def make() -> Problem:
        return services.report_problem(
            source="grid_patrol",
            category=category,
            lng=117.01,
            lat=34.81,
            by=personas["grid_worker"],
            now=NOW,
        )

    return make


@pytest.fixture
def problem(new_problem: Callable[[], Problem]) -> Problem:
    return new_problem()


def store(problem: Problem, data: bytes, kind: str = PhotoKind.BEFORE, **kw: Any) -> ProblemPhoto:
    return photos.store_photo(problem, uploaded(data), kind=kind, by=None, now=NOW, **kw)


def rejection_code(data: bytes, name: str = "p.jpg") -> str:
    with pytest.raises(photos.PhotoRejected) as caught:
        photos.validate_upload(uploaded(data, name=name))
    return caught.value.code


def read_image(field: Any) -> Image.Image:
    with field.open("rb") as handle:
        return Image.open(io.BytesIO(handle.read()))


class HugeFile:
    """Claims 30 MB; fails the test if anything reads it."""

    name = "huge.jpg"
    size = 30 * 1024 * 1024

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("read() called on an oversize upload")

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0


# Validation -----------------------------------------------------------------------------


def test_oversize_upload_is_rejected_without_reading_it() -> None:
    with pytest.raises(photos.PhotoRejected) as caught:
        photos.validate_upload(HugeFile())
    assert caught.value.code == "photo_too_large"
    assert str(caught.value.message) == "照片超过10 MB。"


def test_limit_follows_the_setting(settings: Any) -> None:
    settings.CHUANGWEI_MAX_PHOTO_BYTES = 1000
    assert rejection_code(make_jpeg()) == "photo_too_large"


def test_file_lying_about_its_size_is_still_rejected(settings: Any) -> None:
    settings.CHUANGWEI_MAX_PHOTO_BYTES = 1000
    upload = uploaded(make_jpeg())
    upload.size = 10
    with pytest.raises(photos.PhotoRejected) as caught:
        photos.validate_upload(upload)
    assert caught.value.code == "photo_too_large"


def test_text_file_named_jpg_is_not_an_image() -> None:
    assert rejection_code(b"Hello, this is not a photo.\n" * 20) == "photo_not_image"


def test_gif_is_not_an_accepted_format() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (10, 20, 30)).save(buffer, "GIF")
    assert rejection_code(buffer.getvalue(), name="p.gif") == "photo_not_image"


def test_truncated_jpeg_is_rejected() -> None:
    data = make_jpeg(text="truncated")
    assert rejection_code(data[: len(data) * 2 // 3]) == "photo_not_image"


def test_truncated_png_is_rejected() -> None:
    data = make_png(text="truncated")
    assert rejection_code(data[: len(data) // 2], name="p.png") == "photo_not_image"


def test_image_under_64_px_on_a_side_is_too_small() -> None:
    assert rejection_code(make_jpeg(width=63, height=400)) == "photo_too_small"


def test_image_of_64_px_is_accepted(problem: Problem) -> None:
    photo = store(problem, make_jpeg(width=64, height=64))
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 64, 64)


def test_pixel_count_over_twice_the_limit_is_a_bomb(monkeypatch: Any) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)
    assert rejection_code(make_jpeg(width=800, height=600)) == "photo_decompression_bomb"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_count_over_the_limit_is_a_bomb(monkeypatch: Any) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300_000)
    assert rejection_code(make_jpeg(width=800, height=600)) == "photo_decompression_bomb"


def test_rejection_names_the_photos_field() -> None:
    with pytest.raises(photos.PhotoRejected) as caught:
        photos.validate_upload(uploaded(b"not an image"))
    assert list(caught.value.as_dict()["fields"]) == ["photos"]


def test_validate_upload_rewinds_the_file() -> None:
    upload = uploaded(make_jpeg())
    upload.read(10)
    photos.validate_upload(upload)
    assert upload.tell() == 0


def test_webp_is_accepted(problem: Problem) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (90, 120, 30)).save(buffer, "WEBP")
    photo = store(problem, buffer.getvalue())
    assert (photo.content_type, photo.width, photo.height) == ("image/webp", 300, 200)


# Storing --------------------------------------------------------------------------------


def test_exif_time_is_read_as_shanghai_time(problem: Problem) -> None:
    photo = store(problem, make_jpeg(exif_time=datetime(2026, 3, 5, 9, 15, 30)))
    assert photo.taken_at == datetime(2026, 3, 5, 1, 15, 30, tzinfo=UTC)


def test_exif_gps_is_read_as_decimal_degrees(problem: Problem) -> None:
    photo = store(problem, make_jpeg(exif_gps=SPOT))
    assert (round(photo.exif_lng or 0, 6), round(photo.exif_lat or 0, 6)) == SPOT


def test_exif_gps_south_and_west_are_negative(problem: Problem) -> None:
    photo = store(problem, make_jpeg(exif_gps=(-58.381592, -34.603722)))
    assert (round(photo.exif_lng or 0, 6), round(photo.exif_lat or 0, 6)) == (
        -58.381592,
        -34.603722,
    )


def test_exif_offset_time_is_honoured(problem: Problem) -> None:
    exif = build_exif(time=datetime(2026, 3, 5, 9, 15, 30))
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = "+09:00"
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200)).save(buffer, "JPEG", exif=exif)
    photo = store(problem, buffer.getvalue())
    assert photo.taken_at == datetime(2026, 3, 5, 0, 15, 30, tzinfo=UTC)


def test_photo_without_exif_has_no_time_or_position(problem: Problem) -> None:
    photo = store(problem, make_jpeg())
    assert (photo.taken_at, photo.exif_lng, photo.exif_lat) == (None, None, None)


def test_public_copy_has_no_exif(problem: Problem) -> None:
    photo = store(problem, make_jpeg(exif_gps=SPOT, exif_time=datetime(2026, 3, 5, 9, 0)))
    public = read_image(photo.public_copy)
    assert dict(public.getexif()) == {}
    assert "exif" not in public.info


def test_original_bytes_are_stored_unchanged(problem: Problem) -> None:
    data = make_jpeg(exif_gps=SPOT)
    photo = store(problem, data)
    with photo.original.open("rb") as handle:
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(data).hexdigest()
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.size == len(data)


def test_thumbnail_long_edge_is_320(problem: Problem) -> None:
    photo = store(problem, make_jpeg(width=800, height=600))
    assert read_image(photo.thumbnail).size == (320, 240)


def test_public_copy_long_edge_is_at_most_1600(problem: Problem) -> None:
    photo = store(problem, make_jpeg(width=2400, height=1800))
    assert read_image(photo.public_copy).size == (1600, 1200)
    assert (photo.width, photo.height) == (2400, 1800)


def test_size_follows_exif_orientation(problem: Problem) -> None:
    photo = store(problem, make_jpeg(width=800, height=600, exif_orientation=6))
    assert (photo.width, photo.height) == (600, 800)
    assert read_image(photo.thumbnail).size == (240, 320)


def test_files_are_named_by_uuid_under_the_problem(problem: Problem) -> None:
    photo = store(problem, make_jpeg())
    stem = photo.original.name.removeprefix(f"problems/{problem.pk}/").removesuffix(".jpg")
    assert len(stem) == 32
    assert photo.thumbnail.name == f"problems/{problem.pk}/{stem}_t.jpg"
    assert photo.public_copy.name == f"problems/{problem.pk}/{stem}_p.jpg"


def test_rolled_back_photo_leaves_files_but_no_row(problem: Problem, media: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        store(problem, make_jpeg())
        raise RuntimeError("the action failed after storing")
    assert ProblemPhoto.objects.count() == 0
    assert len(list((media / "problems" / str(problem.pk)).iterdir())) == 3


def test_png_keeps_its_format_and_gets_jpeg_copies(problem: Problem) -> None:
    photo = store(problem, make_png(alpha=True))
    assert photo.content_type == "image/png"
    assert photo.original.name.endswith(".png")
    assert read_image(photo.public_copy).format == "JPEG"


def test_phash_is_sixteen_hex_characters(problem: Problem) -> None:
    photo = store(problem, scene_jpeg(1, "before", "x"))
    assert len(photo.phash) == 16
    int(photo.phash, 16)


def test_client_position_and_uploader_are_recorded(
    problem: Problem, personas: dict[str, Any]
) -> None:
    photo = photos.store_photo(
        problem,
        uploaded(make_jpeg()),
        kind=PhotoKind.AFTER,
        by=personas["handler_a"],
        now=NOW,
        client_lng=117.01,
        client_lat=34.81,
    )
    assert (photo.client_lng, photo.client_lat) == (117.01, 34.81)
    assert (photo.uploaded_by, photo.created_at, photo.kind) == (
        personas["handler_a"],
        NOW,
        "after",
    )


def test_invalid_client_position_is_dropped(problem: Problem) -> None:
    photo = store(problem, make_jpeg(), client_lng=500.0, client_lat=34.81)
    assert (photo.client_lng, photo.client_lat) == (None, None)


def test_report_problem_stores_its_photos_with_the_event(
    new_problem: Callable[[], Problem], personas: dict[str, Any]
) -> None:
    category = ProblemCategory.objects.get(code="06010")
    problem = services.report_problem(
        source="grid_patrol",
        category=category,
        lng=117.01,
        lat=34.81,
        by=personas["grid_worker"],
        now=NOW,
        uploads=[services.Upload(uploaded(make_jpeg()))],
    )
    photo = problem.photos.get()
    assert (photo.kind, photo.event, photo.width) == ("before", problem.events.get(), 800)


# Checks ---------------------------------------------------------------------------------


def test_same_spot_distance_of_photos_100_m_apart(problem: Problem) -> None:
    before = store(problem, make_jpeg(exif_gps=SPOT))
    north = (SPOT[0], SPOT[1] + 100 / METRES_PER_DEGREE)
    after = store(problem, make_jpeg(exif_gps=north), kind=PhotoKind.AFTER)
    assert photos.same_spot_distance_m(before, after) == pytest.approx(100, abs=1)


def test_same_spot_falls_back_to_the_device_position(problem: Problem) -> None:
    before = store(problem, make_jpeg(exif_gps=SPOT))
    after = store(
        problem, make_jpeg(), kind=PhotoKind.AFTER, client_lng=SPOT[0], client_lat=SPOT[1]
    )
    assert photos.same_spot_distance_m(before, after) == pytest.approx(0, abs=0.5)


def test_same_spot_is_none_without_a_position(problem: Problem) -> None:
    before = store(problem, make_jpeg(exif_gps=SPOT))
    after = store(problem, make_jpeg(), kind=PhotoKind.AFTER)
    assert photos.same_spot_distance_m(before, after) is None


def test_same_picture_on_another_problem_is_reused(new_problem: Callable[[], Problem]) -> None:
    first, second = new_problem(), new_problem()
    original = store(first, scene_jpeg(5, "after", "A"))
    copy = store(second, scene_jpeg(5, "after", "A"), kind=PhotoKind.AFTER)
    assert photos.reused_photo_matches(copy) == [original]


def test_recompressed_copy_is_reused(new_problem: Callable[[], Problem]) -> None:
    first, second = new_problem(), new_problem()
    original = store(first, scene_jpeg(5, "after", "A"))
    smaller = Image.open(io.BytesIO(scene_jpeg(5, "after", "A"))).resize((640, 480))
    buffer = io.BytesIO()
    smaller.save(buffer, "JPEG", quality=60)
    copy = store(second, buffer.getvalue(), kind=PhotoKind.AFTER)
    assert photos.reused_photo_matches(copy) == [original]


def test_different_scene_is_not_reused(new_problem: Callable[[], Problem]) -> None:
    first, second = new_problem(), new_problem()
    store(first, scene_jpeg(5, "after", "A"))
    other = store(second, scene_jpeg(6, "after", "A"), kind=PhotoKind.AFTER)
    assert photos.reused_photo_matches(other) == []


def test_same_picture_within_one_problem_is_not_reused(problem: Problem) -> None:
    store(problem, scene_jpeg(5, "after", "A"))
    again = store(problem, scene_jpeg(5, "after", "A"), kind=PhotoKind.AFTER)
    assert photos.reused_photo_matches(again) == []


def test_photo_checks_flag_far_and_reused_after_photos(
    new_problem: Callable[[], Problem], django_assert_num_queries: Any
) -> None:
    other, problem = new_problem(), new_problem()
    stolen = store(other, scene_jpeg(8, "after", "B"))
    before = store(problem, scene_jpeg(9, "before", "C"), client_lng=SPOT[0], client_lat=SPOT[1])
    far = (SPOT[0], SPOT[1] + 120 / METRES_PER_DEGREE)
    after = store(
        problem,
        scene_jpeg(8, "after", "B"),
        kind=PhotoKind.AFTER,
        client_lng=far[0],
        client_lat=far[1],
    )
    with django_assert_num_queries(2):
        checks = photos.photo_checks(problem)
    [check] = checks["after"]
    assert (check["photo"], check["nearest_before"], check["reused_from"]) == (
        after,
        before,
        [stolen],
    )
    assert check["distance_m"] == pytest.approx(120, abs=1)
    assert (check["far"], checks["far_count"], checks["reused_count"], checks["flagged"]) == (
        True,
        1,
        1,
        True,
    )


def test_photo_checks_pass_a_clean_after_photo(problem: Problem) -> None:
    store(problem, scene_jpeg(9, "before", "C"), client_lng=SPOT[0], client_lat=SPOT[1])
    store(
        problem,
        scene_jpeg(9, "after", "C"),
        kind=PhotoKind.AFTER,
        client_lng=SPOT[0],
        client_lat=SPOT[1] + 20 / METRES_PER_DEGREE,
    )
    checks = photos.photo_checks(problem)
    assert (checks["after"][0]["far"], checks["after"][0]["reused"], checks["flagged"]) == (
        False,
        False,
        False,
    )


def test_hash_distance_counts_differing_bits() -> None:
    assert photos.hash_distance("ff00000000000000", "0f00000000000001") == 5
    assert photos.hash_distance("", "0f00000000000001") == 64


# Demo images ----------------------------------------------------------------------------


def test_scene_jpeg_is_deterministic_and_small() -> None:
    data = scene_jpeg(42, "before", "WT-2026-000042")
    assert data == scene_jpeg(42, "before", "WT-2026-000042")
    assert 30_000 <= len(data) <= 60_000


def test_make_jpeg_writes_real_exif() -> None:
    exif = Image.open(
        io.BytesIO(make_jpeg(exif_gps=SPOT, exif_time=datetime(2026, 1, 2, 3, 4, 5)))
    ).getexif()
    assert exif.get_ifd(0x8769)[0x9003] == "2026:01:02 03:04:05"
    assert exif.get_ifd(0x8825)[1] == "N"
