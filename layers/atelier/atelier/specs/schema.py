"""The DesignSpec JSON Schema, published at a stable URL."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from atelier.specs.model import SPEC_VERSION, DesignSpec

SCHEMA_PATH = f"/api/v1/schemas/design-spec/{SPEC_VERSION}.json"
SCHEMA_ID = f"https://atelier.dev/schemas/design-spec/{SPEC_VERSION}.json"


@lru_cache(maxsize=1)
def design_spec_json_schema() -> dict[str, Any]:
    schema = DesignSpec.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Atelier DesignSpec {SPEC_VERSION}",
        "description": (
            "A canonical personalization design: product, canvas and zones in millimetres. "
            "specHash = SHA-256 of its RFC 8785 serialization."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }
