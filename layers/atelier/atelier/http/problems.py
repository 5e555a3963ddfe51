"""RFC 9457 problem details: the one place errors become HTTP responses.

Every error an API function returns goes through `problem_body`: a stable `type` URI
(`urn:atelier:problem:<slug>`), a human title and detail, the request's correlation id as
`instance`, and for input errors an `errors` list naming each field with a stable code.
Stack traces and internal messages never reach the body.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from atelier.errors import PROBLEM_BASE, AtelierError, FieldError

PROBLEM_CONTENT_TYPE = "application/problem+json"

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
    """A stable code for a pydantic error type (types we don't map become `invalid_type`
    for type errors, else `invalid`)."""
    if error_type in _CODES:
        return _CODES[error_type]
    if error_type.endswith("_type") or error_type.endswith("_parsing"):
        return "invalid_type"
    return "invalid"


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


def problem_body(
    *,
    status: int,
    slug: str,
    title: str,
    detail: str = "",
    errors: Sequence[FieldError] = (),
    instance: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_BASE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = [e.as_dict() for e in errors]
    return body


def problem_from_error(exc: AtelierError, instance: str | None = None) -> dict[str, Any]:
    return problem_body(
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        instance=instance,
    )


def proxy_problem(
    exc: AtelierError, instance: str | None = None, headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A complete API Gateway proxy response for errors raised outside the resolver."""
    return {
        "statusCode": exc.status,
        "headers": {"Content-Type": PROBLEM_CONTENT_TYPE, **exc.headers, **(headers or {})},
        "body": json.dumps(problem_from_error(exc, instance), ensure_ascii=False),
        "isBase64Encoded": False,
    }
