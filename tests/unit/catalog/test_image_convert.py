"""Web variants of a product image: upright, metadata-free WebP at the standard widths,
never upscaled; a file that cannot be decoded is a permanent failure."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image, ImageCms

from atelier.catalog.image_convert import ConversionFailed, Derivative, derive, target_widths

RED, BLUE = (220, 20, 20), (20, 20, 220)


def two_halves(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue."""
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "AtelierCam"
    exif[ExifTags.Base.Model] = "Secret Model 7"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 21.0, 7.0),
    }
    return exif


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def opened(variant: Derivative) -> Image.Image:
    image = Image.open(io.BytesIO(variant.data))
    assert image.format == "WEBP"
    assert image.size == (variant.width, variant.height)
    return image


def close(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def test_widths_are_the_standard_ones_and_the_aspect_ratio_is_kept():
    variants = derive(encode(two_halves((3000, 1500)), "PNG"))
    assert [(v.width, v.height) for v in variants] == [(320, 160), (640, 320), (1280, 640)]
    for variant in variants:
        image = opened(variant).convert("RGB")
        assert close(image.getpixel((5, variant.height // 2)), RED)
        assert close(image.getpixel((variant.width - 5, variant.height // 2)), BLUE)


def test_heights_are_rounded_from_the_original_ratio():
    variants = derive(encode(two_halves((1999, 1000)), "JPEG", quality=90))
    assert [(v.width, v.height) for v in variants] == [(320, 160), (640, 320), (1280, 640)]
    variants = derive(encode(two_halves((1000, 999)), "PNG"))
    assert [(v.width, v.height) for v in variants] == [(320, 320), (640, 639)]


@pytest.mark.parametrize(
    ("width", "expected"),
    [(5000, [320, 640, 1280]), (1280, [320, 640, 1280]), (1279, [320, 640]), (500, [320]),
     (320, [320]), (319, [319]), (1, [1])],
)  # fmt: skip
def test_an_image_is_never_upscaled(width: int, expected: list[int]):
    assert target_widths(width) == expected


def test_a_small_image_keeps_its_own_size():
    [variant] = derive(encode(two_halves((100, 50)), "PNG"))
    assert (variant.width, variant.height) == (100, 50)
    [variant] = derive(encode(two_halves((500, 250)), "PNG"))
    assert (variant.width, variant.height) == (320, 160)


def test_exif_orientation_is_applied():
    # Stored sideways (1600 x 900, red on the left); orientation 6 shows it turned a
    # quarter clockwise: 900 x 1600, red on top. 900 px wide: no 1280 variant.
    data = encode(two_halves((1600, 900)), "JPEG", quality=92, exif=camera_exif(6))
    variants = derive(data)
    assert [(v.width, v.height) for v in variants] == [(320, 569), (640, 1138)]
    for variant in variants:
        image = opened(variant).convert("RGB")
        assert close(image.getpixel((variant.width // 2, 5)), RED)
        assert close(image.getpixel((variant.width // 2, variant.height - 5)), BLUE)
        assert ExifTags.Base.Orientation not in image.getexif()


def test_mirrored_orientation_is_applied():
    data = encode(two_halves((800, 400)), "JPEG", quality=92, exif=camera_exif(2))
    [_, variant] = derive(data)
    image = opened(variant).convert("RGB")
    assert close(image.getpixel((5, 100)), BLUE) and close(image.getpixel((635, 100)), RED)


def test_camera_metadata_is_stripped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        two_halves((1400, 700)),
        "JPEG",
        quality=90,
        exif=camera_exif(1),
        icc_profile=srgb,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">AtelierCam</x:xmpmeta>',
    )
    source = Image.open(io.BytesIO(data))
    assert source.getexif()[ExifTags.Base.Make] == "AtelierCam", "the fixture carries EXIF"
    for variant in derive(data):
        image = opened(variant)
        assert not set(image.info) & {"exif", "icc_profile", "xmp"}, image.info
        assert len(image.getexif()) == 0
        for marker in (b"EXIF", b"ICCP", b"XMP ", b"AtelierCam", b"Secret Model"):
            assert marker not in variant.data


def test_png_exif_is_stripped_and_its_orientation_applied():
    data = encode(two_halves((700, 1400)), "PNG", exif=camera_exif(8))
    variants = derive(data)
    # orientation 8 turns it a quarter anticlockwise: 1400 x 700, red at the bottom
    assert [(v.width, v.height) for v in variants] == [(320, 160), (640, 320), (1280, 640)]
    image = opened(variants[-1]).convert("RGB")
    assert close(image.getpixel((640, 635)), RED) and close(image.getpixel((640, 5)), BLUE)
    assert b"AtelierCam" not in variants[-1].data and len(image.getexif()) == 0


def test_transparency_is_kept():
    image = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    image.paste((*RED, 255), (0, 0, 400, 400))
    [small, _] = derive(encode(image, "PNG"))
    out = opened(small)
    assert out.mode == "RGBA"
    assert out.getpixel((300, 80))[3] == 0 and out.getpixel((10, 80))[3] == 255


def test_cmyk_and_greyscale_become_rgb():
    cmyk = Image.new("CMYK", (640, 320), (0, 255, 255, 0))  # red ink
    [_, variant] = derive(encode(cmyk, "JPEG", quality=95))
    image = opened(variant)
    assert image.mode == "RGB" and close(image.getpixel((320, 160)), (255, 0, 0), 60)
    [grey] = derive(encode(Image.new("L", (320, 100), 128), "PNG"))
    assert close(opened(grey).convert("RGB").getpixel((5, 5)), (128, 128, 128), 4)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_with_exact_sizes():
    data = encode(two_halves((6000, 4000)), "JPEG", quality=85)
    variants = derive(data)
    assert [(v.width, v.height) for v in variants] == [(320, 213), (640, 427), (1280, 853)]
    image = opened(variants[-1]).convert("RGB")
    assert close(image.getpixel((5, 400)), RED) and close(image.getpixel((1275, 400)), BLUE)


def test_the_same_image_gives_the_same_bytes():
    data = encode(two_halves((1500, 800)), "JPEG", quality=90, exif=camera_exif(3))
    assert derive(data) == derive(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        encode(two_halves((800, 600)), "JPEG")[:300],  # a header, then nothing
        encode(two_halves((800, 600)), "PNG")[:200],
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        encode(two_halves((80, 60)), "GIF"),  # decodable, but not a PNG or a JPEG
    ],
    ids=["empty", "text", "truncated-jpeg", "truncated-png", "garbage-png", "gif"],
)
def test_an_undecodable_file_is_a_permanent_failure(data: bytes):
    with pytest.raises(ConversionFailed):
        derive(data)


def test_too_many_pixels_is_a_permanent_failure(monkeypatch: pytest.MonkeyPatch):
    from atelier.catalog import image_convert

    monkeypatch.setattr(image_convert, "MAX_PIXELS", 100 * 100)
    with pytest.raises(ConversionFailed, match="more than"):
        derive(encode(two_halves((101, 100)), "PNG"))
