"""HTTP caching helpers: strong ETags from content, conditional GETs (RFC 9110 §13)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def etag_for(payload: Any) -> str:
    """A strong ETag: the SHA-256 of the payload's canonical JSON (sorted keys, no spaces)."""
    data = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return '"' + hashlib.sha256(data.encode("utf-8")).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether `If-None-Match` names this representation (weak comparison, as GET allows)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))
