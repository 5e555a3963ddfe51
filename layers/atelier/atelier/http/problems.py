"""RFC 9457 problem details: the one place errors become HTTP responses.

Every error an API function returns goes through `problem_body`: a stable `type` URI
(`urn:atelier:problem:<slug>`), a human title and detail, the request's correlation id as
`instance`, and for input errors an `errors` list naming each field with a stable code.
Stack traces and internal messages never reach the body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from atelier.errors import PROBLEM_BASE, AtelierError, FieldError
from atelier.validation import field_errors

__all__ = [
    "PROBLEM_CONTENT_TYPE",
    "field_errors",
    "problem_body",
    "problem_from_error",
    "proxy_problem",
]

PROBLEM_CONTENT_TYPE = "application/problem+json"


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
