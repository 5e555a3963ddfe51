"""Spec versions: semver; older documents are upgraded step by step to the current one.

Only 1.0.0 exists so far. A new minor version adds an entry to `UPGRADES` (from-version →
function returning the next version's document); a new major version is a new model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from atelier.errors import FieldError, ValidationFailed
from atelier.specs.model import SPEC_VERSION

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
Upgrade = Callable[[dict[str, Any]], dict[str, Any]]

UPGRADES: dict[str, Upgrade] = {}
"""from-version → upgrade to the next version (empty until 1.1.0 exists)."""


def _fail(code: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "The spec version is not supported.", errors=[FieldError("specVersion", code, message)]
    )


def parse_version(value: object) -> tuple[int, int, int]:
    if not isinstance(value, str) or not (match := SEMVER.match(value)):
        raise _fail("invalid_spec_version", "specVersion must be a semantic version like 1.0.0.")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def upgrade_spec(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise ValidationFailed(
            "The spec must be a JSON object.",
            errors=[FieldError("spec", "invalid_type", "Expected an object.")],
        )
    if "specVersion" not in document:
        raise _fail("required", "specVersion is required.")
    current = parse_version(SPEC_VERSION)
    version = parse_version(document["specVersion"])
    if version[0] != current[0] or version[:2] > current[:2]:
        raise _fail(
            "unsupported_spec_version",
            f"specVersion {document['specVersion']} is not supported; this server speaks "
            f"{SPEC_VERSION} and upgrades older {current[0]}.x documents.",
        )
    doc = dict(document)
    while doc["specVersion"] in UPGRADES:
        doc = UPGRADES[doc["specVersion"]](doc)
    # Patch releases never change the document's shape.
    doc["specVersion"] = SPEC_VERSION
    return doc
