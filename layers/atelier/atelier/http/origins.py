"""Browser origins, compared one way everywhere: trimmed, no trailing slash, lower case."""

from __future__ import annotations

from functools import lru_cache


def normalize_origin(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


@lru_cache(maxsize=4)
def origin_set(configured: str) -> frozenset[str]:
    """A comma-separated list of origins (a setting), parsed once per distinct value."""
    return frozenset(normalize_origin(o) for o in configured.split(",") if o.strip())
