"""API keys: publishable (`pk_…`, shipped in the widget, origin-bound) and secret (`sk_…`,
for brand back-ends). Keys are 256-bit random tokens; only their SHA-256 is stored (a fast
hash is right for high-entropy secrets: there is nothing to brute-force), with a short
prefix kept so users can tell their keys apart."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum


class KeyKind(StrEnum):
    PUBLISHABLE = "publishable"
    SECRET = "secret"  # noqa: S105 - a key kind, not a password


PREFIXES = {KeyKind.PUBLISHABLE: "pk_", KeyKind.SECRET: "sk_"}
DISPLAY_PREFIX_LENGTH = 11


@dataclass(frozen=True)
class NewKey:
    kind: KeyKind
    secret: str
    key_hash: str
    prefix: str


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def kind_of(secret: str) -> KeyKind | None:
    for kind, prefix in PREFIXES.items():
        if secret.startswith(prefix) and 20 <= len(secret) <= 128:
            return kind
    return None


def generate_key(kind: KeyKind) -> NewKey:
    secret = PREFIXES[kind] + secrets.token_urlsafe(32)
    return NewKey(
        kind=kind, secret=secret, key_hash=hash_key(secret), prefix=secret[:DISPLAY_PREFIX_LENGTH]
    )
