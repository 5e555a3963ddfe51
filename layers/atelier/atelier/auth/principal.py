"""The authenticated caller, as the authorizer described it to API Gateway.

API Gateway passes the authorizer's `context` (flat strings) to the function in
`requestContext.authorizer`; `Principal.from_event` reads it back. Handlers never look at
credentials themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from atelier.errors import Forbidden, Unauthorized


class Role(StrEnum):
    ARTISAN = "artisan"
    """A workshop's user: sees and exports only the work orders assigned to its artisan."""
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"
    OWNER = "owner"


# Each role can do what the roles below it can.
_RANK = {Role.ARTISAN: -1, Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2, Role.OWNER: 3}


class PrincipalKind(StrEnum):
    WIDGET = "widget"
    SECRET_KEY = "secret_key"  # noqa: S105 - a principal kind, not a password
    USER = "user"


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    brand_id: str
    subject: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    origin: str | None = None

    def to_context(self) -> dict[str, str]:
        """The flat string map an authorizer returns as `context`."""
        context = {
            "kind": self.kind.value,
            "brandId": self.brand_id,
            "subject": self.subject,
            "roles": ",".join(sorted(r.value for r in self.roles)),
        }
        if self.origin:
            context["origin"] = self.origin
        return context

    @classmethod
    def from_context(cls, context: Mapping[str, Any] | None) -> Principal:
        if not context or not context.get("brandId"):
            raise Unauthorized("This endpoint needs credentials.")
        roles = frozenset(Role(r) for r in str(context.get("roles") or "").split(",") if r)
        return cls(
            kind=PrincipalKind(context.get("kind", PrincipalKind.WIDGET)),
            brand_id=str(context["brandId"]),
            subject=str(context.get("subject") or ""),
            roles=roles,
            origin=context.get("origin") or None,
        )

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> Principal:
        return cls.from_context((event.get("requestContext") or {}).get("authorizer"))

    def has_role(self, needed: Role) -> bool:
        return any(_RANK[r] >= _RANK[needed] for r in self.roles)

    def require(self, needed: Role) -> None:
        if self.kind is PrincipalKind.WIDGET or not self.has_role(needed):
            raise Forbidden(f"This action needs the {needed.value} role.")
