"""The per-zone rules and the issues they raise, each with a stable code."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from typing import Any

import regex

from atelier.catalog.config import CaseTransform, ZoneRules
from atelier.personalization.normalize import grapheme_count

PATTERN_TIMEOUT_S = 0.05  # brand patterns run on every keystroke: no catastrophic backtracking


@dataclass(frozen=True)
class ZoneIssue:
    """One broken rule: which zone, which public field (camelCase), a stable code."""

    zone_id: str
    field: str
    code: str
    message: str
    extra: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape: zoneId, field, code, message and the extra details."""
        return {
            "zoneId": self.zone_id,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            **self.extra,
        }


def fold(text: str) -> str:
    """Case- and accent-insensitive form: casefolded, marks stripped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Marks belong to their word (Indic vowel signs are Mc and survive folding).
_WORDS = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def blocked_words_in(text: str, blocked: Sequence[str]) -> list[str]:
    """Blocked words or phrases found as whole words (so "Scunthorpe" stays sellable)."""
    words = _WORDS.findall(fold(text))
    joined = " " + " ".join(words) + " "
    found = []
    for entry in blocked:
        needle = " ".join(_WORDS.findall(fold(entry)))
        if needle and f" {needle} " in joined:
            found.append(entry)
    return found


def apply_case(text: str, transform: CaseTransform) -> str:
    """The zone's case transform; Unicode-aware (ß → SS), so the length can change."""
    if transform is CaseTransform.UPPER:
        return text.upper()
    if transform is CaseTransform.LOWER:
        return text.lower()
    if transform is CaseTransform.TITLE:
        return regex.sub(
            r"\p{L}[\p{L}\p{M}'’]*", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), text
        )
    return text


_SCRIPT_NAME = regex.compile(r"[A-Za-z][A-Za-z_ ]{0,40}")


@lru_cache(maxsize=256)
def _script_class(scripts: tuple[str, ...]) -> regex.Pattern[str]:
    """One compiled class for the allowed scripts plus Common/Inherited (spaces, digits,
    punctuation, emoji, combining marks go with any script). Unknown script names in a
    brand's config are skipped rather than crashing validation."""
    parts = [r"\p{Script=Common}", r"\p{Script=Inherited}"]
    for name in scripts:
        if not _SCRIPT_NAME.fullmatch(name.strip()):
            continue  # a name, never a fragment of regex syntax
        candidate = rf"\p{{Script={name.strip()}}}"
        try:
            regex.compile(candidate)
        except regex.error:
            continue
        parts.append(candidate)
    return regex.compile("[" + "".join(parts) + "]")


def _script_ok(char: str, scripts: Sequence[str]) -> bool:
    return _script_class(tuple(scripts)).match(char) is not None


def check_text(zone_id: str, text: str, rules: ZoneRules) -> list[ZoneIssue]:
    """Every rule the text breaks (length in graphemes, lines, characters, pattern)."""
    issues: list[ZoneIssue] = []

    def issue(code: str, message: str, **extra: Any) -> None:
        issues.append(ZoneIssue(zone_id, "text", code, message, extra))

    if not text:
        if rules.required:
            issue("required", "This zone must be filled in.")
        return issues
    length = grapheme_count(text.replace("\n", ""))
    if length > rules.max_length:
        issue(
            "too_long",
            f"At most {rules.max_length} characters.",
            maxLength=rules.max_length,
            length=length,
        )
    if length < rules.min_length:
        issue(
            "too_short",
            f"At least {rules.min_length} characters.",
            minLength=rules.min_length,
            length=length,
        )
    lines = text.count("\n") + 1
    if lines > rules.max_lines:
        issue("too_many_lines", f"At most {rules.max_lines} line(s).", maxLines=rules.max_lines)
    if rules.allowed_chars is not None:
        # The text is NFC; compare with an NFC whitelist so "é" typed either way matches.
        allowed = set(unicodedata.normalize("NFC", rules.allowed_chars)) | {"\n"}
        bad = sorted({c for c in text if c not in allowed})
        if bad:
            issue("char_not_allowed", "Some characters are not allowed here.", characters=bad)
    if rules.allowed_scripts:
        bad = sorted({c for c in text if c != "\n" and not _script_ok(c, rules.allowed_scripts)})
        if bad:
            issue(
                "script_not_allowed",
                f"Only {', '.join(rules.allowed_scripts)} letters are allowed here.",
                characters=bad,
            )
    if rules.pattern is not None:
        try:
            matched = regex.fullmatch(rules.pattern, text, timeout=PATTERN_TIMEOUT_S)
        except (TimeoutError, regex.error):  # a runaway or broken brand pattern fails closed
            matched = None
        if matched is None:
            issue("pattern_mismatch", "The text does not have the expected format.")
    return issues
