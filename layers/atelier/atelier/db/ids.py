"""Identifiers: unique, unguessable and sortable.

A ULID: 48 bits of millisecond time then 80 bits from the OS CSPRNG, in Crockford base32
(26 characters). Sorting by id sorts by creation time; 80 random bits make ids impossible
to enumerate. Ids generated within one millisecond are not ordered among themselves,
which keeps them unpredictable (no monotonic counter to guess).
"""

from __future__ import annotations

import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
ID_LENGTH = 26


def new_id(now_ms: int | None = None) -> str:
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (ms << 80) | secrets.randbits(80)
    chars = []
    for _ in range(ID_LENGTH):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_valid_id(value: str) -> bool:
    return len(value) == ID_LENGTH and all(c in _ALPHABET for c in value)
