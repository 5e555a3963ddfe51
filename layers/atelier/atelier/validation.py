"""pydantic validation errors → `FieldError`s with stable codes, for every layer to reuse."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from atelier.errors import FieldError, ValidationFailed

# pydantic / powertools validation error types → our stable field codes.
_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "too_long": "too_many_items",
    "too_short": "too_few_items",
    "greater_than": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "less_than_equal": "out_of_range",
    "string_pattern_mismatch": "pattern_mismatch",
    "enum": "not_allowed",
    "literal_error": "not_allowed",
    "json_invalid": "invalid_json",
    "url_parsing": "invalid_url",
}


def field_code(error_type: str) -> str:
    """A stable code for a pydantic error type (unmapped type errors become `invalid_type`,
    anything else `invalid`); custom errors raised as `PydanticCustomError(code, …)` keep
    their own code."""
    if error_type in _CODES:
        return _CODES[error_type]
    if error_type.endswith("_type") or error_type.endswith("_parsing"):
        return "invalid_type"
    if error_type in ("value_error", "assertion_error"):
        return "invalid"
    return error_type


def field_errors(
    errors: Iterable[Mapping[str, Any]], *, strip: Sequence[str] = ()
) -> list[FieldError]:
    """Convert pydantic-style error dicts (`loc`, `type`, `msg`) to `FieldError`s.

    `strip` drops leading location parts such as "body" that say where, not which field.
    """
    out: list[FieldError] = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        while loc and loc[0] in strip:
            loc = loc[1:]
        out.append(
            FieldError(
                field=".".join(loc) or "body",
                code=field_code(str(err.get("type", ""))),
                message=str(err.get("msg", "Invalid value")),
            )
        )
    return out


def validation_failed(exc: ValidationError, detail: str, *, prefix: str = "") -> ValidationFailed:
    errors = field_errors(exc.errors())
    if prefix:
        errors = [FieldError(f"{prefix}.{e.field}", e.code, e.message) for e in errors]
    return ValidationFailed(detail, errors=errors)
