"""Decoding a product image and deriving its web versions (Pillow: workers only).

The original is turned upright (EXIF orientation), converted to sRGB when it carries a
colour profile, and every derivative is written without any metadata: shoppers' browsers
get no camera EXIF, GPS position, XMP or ICC data. WebP keeps transparency.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageCms, ImageOps

from atelier.catalog.image_variants import WIDTHS

MAX_PIXELS = 8000 * 8000
"""The API accepts sides up to 8000 px (`atelier.catalog.images.MAX_SIDE_PX`)."""
WEBP_QUALITY = 80
_QUARTER_TURNS = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_PROFILE_CONVERSIONS = {("RGB", "RGB"), ("RGBA", "RGBA"), ("CMYK", "RGB"), ("L", "RGB")}
_DECODE_ERRORS = (
    OSError,  # includes UnidentifiedImageError and truncated files
    SyntaxError,  # Pillow's "broken PNG file"
    ValueError,
    EOFError,
    struct.error,
    Image.DecompressionBombError,
)


class ConversionFailed(Exception):
    """The file cannot be decoded: retrying will not help."""


@dataclass(frozen=True)
class Derivative:
    width: int
    height: int
    data: bytes


def target_widths(width: int, widths: Sequence[int] = WIDTHS) -> list[int]:
    """The standard widths the image can fill without upscaling; an image narrower than
    all of them gets one derivative at its own width."""
    return [w for w in widths if w <= width] or [width]


def _srgb(image: Image.Image) -> Image.Image:
    """RGB (RGBA when transparent) pixels in sRGB, fit to be written without a profile."""
    mode = "RGBA" if image.has_transparency_data else "RGB"
    icc = image.info.get("icc_profile")
    if icc and (image.mode, mode) in _PROFILE_CONVERSIONS:
        try:
            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken or unusual profile: keep the pixels as they are
        if converted is not None:
            return converted
    return image if image.mode == mode else image.convert(mode)


def derive(data: bytes, widths: Sequence[int] = WIDTHS) -> list[Derivative]:
    """WebP versions of a PNG or JPEG at `target_widths`, upright, aspect ratio kept."""
    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as original:
            width, height = original.size
            if width * height > MAX_PIXELS:
                raise ConversionFailed(f"{width}x{height} is more than {MAX_PIXELS} pixels")
            turned = original.getexif().get(ExifTags.Base.Orientation, 1) in _QUARTER_TURNS
            if turned:
                width, height = height, width
            targets = target_widths(width, widths)
            # A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still as wide as the
            # widest derivative: far less memory and time for a camera photo.
            original.draft(None, (1, max(targets)) if turned else (max(targets), 1))
            original.load()
            image = _srgb(ImageOps.exif_transpose(original))
    except ConversionFailed:
        raise
    except _DECODE_ERRORS as exc:
        raise ConversionFailed(f"{exc.__class__.__name__}: {exc}"[:300]) from exc
    out = []
    for target in targets:
        size = (target, max(1, round(target * height / width)))
        resized = image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        # No exif/icc_profile/xmp arguments: Pillow writes none of the original's metadata.
        resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        out.append(Derivative(size[0], size[1], buffer.getvalue()))
    return out
