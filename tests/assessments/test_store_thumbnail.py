"""Thumbnails of stored photos: small, upright JPEGs for the screens and reports, None when unreadable."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from assessments import evidence
from assessments import repository as repo


def _encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def _opened(content: bytes | None) -> Image.Image:
    assert content is not None
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_a_large_photo_shrinks_to_fit_the_side_as_a_jpeg() -> None:
    small = repo.thumbnail(_encoded(Image.new("RGB", (3000, 2000), (10, 20, 30)), "PNG"), 320)
    with _opened(small) as image:
        assert image.format == "JPEG"
        assert image.mode == "RGB"
        assert image.size == (320, 213)
    with _opened(repo.thumbnail(_encoded(Image.new("RGB", (1000, 4000)), "JPEG"), 480)) as image:
        assert image.size == (120, 480)


def test_a_small_photo_keeps_its_size() -> None:
    with _opened(repo.thumbnail(_encoded(Image.new("RGB", (60, 40)), "WEBP"), 320)) as image:
        assert image.size == (60, 40)


def test_a_rotated_phone_photo_comes_out_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees to show
    content = _encoded(Image.new("RGB", (400, 200), (200, 10, 10)), "JPEG", exif=exif)
    with _opened(repo.thumbnail(content, 200)) as image:
        assert image.size == (100, 200)


@pytest.mark.parametrize("mode", ["P", "1", "L", "RGBA", "LA"])
def test_every_kind_of_png_becomes_an_rgb_jpeg(mode: str) -> None:
    with _opened(repo.thumbnail(_encoded(Image.new(mode, (800, 600)), "PNG"), 100)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (100, 75))


def test_a_palette_png_is_smoothed_not_picked_pixel_by_pixel() -> None:
    # Fine black-and-white stripes average to grey when shrunk; picking every n-th pixel would keep them stark.
    stripes = Image.new("P", (400, 400))
    stripes.putpalette([0, 0, 0, 255, 255, 255])
    stripes.putdata([x % 2 for _ in range(400) for x in range(400)])
    with _opened(repo.thumbnail(_encoded(stripes, "PNG"), 40)) as image:
        low, high = image.convert("L").getextrema()
        assert 60 < low <= high < 200


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF-1.4 not an image",
        _encoded(Image.new("RGB", (2000, 1500), (90, 30, 200)), "JPEG")[:3000],  # cut short
    ],
    ids=["empty", "not an image", "truncated"],
)
def test_an_unreadable_photo_gives_none(content: bytes) -> None:
    assert repo.thumbnail(content, 320) is None


def test_the_side_must_be_at_least_one_pixel() -> None:
    with pytest.raises(ValueError, match="at least one pixel"):
        repo.thumbnail(_encoded(Image.new("RGB", (10, 10)), "PNG"), 0)


def test_the_repository_offers_the_evidence_modules_thumbnail() -> None:
    assert repo.thumbnail is evidence.thumbnail
    assert "thumbnail" in repo.__all__
