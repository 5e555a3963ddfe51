"""Product base images: the photo or drawing the preview draws the zones on.

Checked without Pillow (API functions stay free of media libraries): the file must be a
PNG or JPEG whose header gives sane dimensions; the render worker decodes it, and the
asset-convert worker derives its web variants (`atelier.catalog.image_variants`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.catalog.repository import get_product
from atelier.errors import FieldError, ValidationFailed
from atelier.personalization.inputs import ApiModel

MAX_SIDE_PX = 8000


class ImageUpload(ApiModel):
    data: Annotated[str, StringConstraints(min_length=16, max_length=1_000_000)] = Field(
        description="A PNG or JPEG, base64-encoded (up to ~700 kB per request)"
    )


class ImageOut(ApiModel):
    product_id: str
    key: str
    format: str
    width_px: int
    height_px: int


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(
        "The image cannot be used.", errors=[FieldError("data", "invalid_image", message)]
    )


def _jpeg_size(data: bytes) -> tuple[int, int]:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            raise _invalid("the JPEG is damaged")
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):  # start of frame: height, width
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    raise _invalid("the JPEG has no frame")


def inspect_image(data: bytes) -> ImageInfo:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        fmt = "png"
    elif data.startswith(b"\xff\xd8"):
        width, height = _jpeg_size(data)
        fmt = "jpeg"
    else:
        raise _invalid("send a PNG or a JPEG")
    if not (1 <= width <= MAX_SIDE_PX and 1 <= height <= MAX_SIDE_PX):
        raise _invalid(f"each side must be 1 to {MAX_SIDE_PX} pixels")
    return ImageInfo(fmt, width, height)


def set_product_image(
    session: Session, storage: ObjectStorage, *, brand_id: str, product_id: str, upload: ImageUpload
) -> ImageOut:
    try:
        data = base64.b64decode(upload.data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid("the data is not valid base64") from exc
    info = inspect_image(data)
    product = get_product(session, brand_id, product_id)
    ext = "jpg" if info.format == "jpeg" else "png"
    key = f"products/{brand_id}/{hashlib.sha256(data).hexdigest()}.{ext}"
    storage.put(key, data, f"image/{info.format}")
    if product.image_url != key:
        # The old image's variants no longer apply; the asset-convert worker makes new ones.
        product.image_url = key
        product.image_variants = []
    session.flush()
    return ImageOut(
        product_id=product.id,
        key=key,
        format=info.format,
        width_px=info.width,
        height_px=info.height,
    )
