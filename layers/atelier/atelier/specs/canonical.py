"""Canonical bytes and the spec hash: RFC 8785 (JCS) over the canonical model, SHA-256."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785
from pydantic import ValidationError

from atelier.specs.model import DesignSpec
from atelier.specs.versions import upgrade_spec
from atelier.validation import validation_failed


def canonical_bytes(spec: DesignSpec) -> bytes:
    return rfc8785.dumps(spec.model_dump(mode="json", by_alias=True))


def spec_hash(spec: DesignSpec) -> str:
    return hashlib.sha256(canonical_bytes(spec)).hexdigest()


def parse_spec(document: Any) -> DesignSpec:
    """A client-supplied spec document, upgraded to the current version and canonicalized;
    `ValidationFailed` names every problem."""
    upgraded = upgrade_spec(document)
    try:
        return DesignSpec.model_validate(upgraded)
    except ValidationError as exc:
        raise validation_failed(exc, "The spec is not valid.") from exc


def canonicalize(document: Any) -> tuple[DesignSpec, bytes, str]:
    spec = parse_spec(document)
    data = canonical_bytes(spec)
    return spec, data, hashlib.sha256(data).hexdigest()
