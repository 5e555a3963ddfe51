"""Domain errors and their RFC 9457 problem types.

Services raise these; exactly one place (`atelier.http.problems`) turns them into
`application/problem+json` responses. The `type` URIs are stable: clients may branch on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

PROBLEM_BASE = "urn:atelier:problem:"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field; `field` is a JSON-pointer-like dotted path."""

    field: str
    code: str
    message: str
    extra: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "code": self.code, "message": self.message}
        if self.extra:
            out.update(self.extra)
        return out


@dataclass
class AtelierError(Exception):
    detail: str = ""
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal error"

    @property
    def type_uri(self) -> str:
        return PROBLEM_BASE + self.slug

    def __str__(self) -> str:
        return self.detail or self.title


class MalformedRequest(AtelierError):
    status, slug, title = 400, "malformed-request", "The request could not be parsed"


class Unauthorized(AtelierError):
    status, slug, title = 401, "unauthorized", "Missing or invalid credentials"


class Forbidden(AtelierError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(AtelierError):
    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(AtelierError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class Conflict(AtelierError):
    status, slug, title = 409, "conflict", "Conflict with the current state"


class RequestInProgress(Conflict):
    slug, title = "request-in-progress", "The same request is still being processed"


class IdempotencyKeyReused(AtelierError):
    status, slug, title = 422, "idempotency-key-reused", "Idempotency-Key reused with another body"


class PayloadTooLarge(AtelierError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(AtelierError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ValidationFailed(AtelierError):
    status, slug, title = 422, "validation-error", "The request is not valid"


class RateLimited(AtelierError):
    status, slug, title = 429, "rate-limited", "Too many requests"


class ServiceUnavailable(AtelierError):
    status, slug, title = 503, "service-unavailable", "A dependency is unavailable"
