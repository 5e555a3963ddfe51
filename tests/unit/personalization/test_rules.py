"""Zone rules, each with its stable code; blocked words; case transforms."""

from __future__ import annotations

from atelier.catalog.config import CaseTransform, ZoneRules
from atelier.personalization.rules import ZoneIssue, apply_case, blocked_words_in, check_text


def codes(text: str, rules: ZoneRules) -> set[str]:
    return {i.code for i in check_text("z", text, rules)}


def test_every_broken_rule_is_reported():
    rules = ZoneRules(
        max_length=5, min_length=2, max_lines=1, allowed_chars="abc\n ", pattern="a.*"
    )
    assert codes("abcd\nbb", rules) == {
        "too_long",
        "too_many_lines",
        "char_not_allowed",
        "pattern_mismatch",
    }
    assert codes("", ZoneRules(required=True)) == {"required"}
    assert codes("", ZoneRules(min_length=3)) == set(), "empty optional zones are valid"
    assert codes("a", ZoneRules(min_length=3)) == {"too_short"}


def test_lengths_count_graphemes():
    family = "👨‍👩‍👧‍👦"
    assert codes(family * 3, ZoneRules(max_length=3)) == set()
    assert codes(family * 4, ZoneRules(max_length=3)) == {"too_long"}
    [issue] = check_text("z", "e\u0301" * 4, ZoneRules(max_length=3))
    assert issue.extra == {"maxLength": 3, "length": 4}


def test_allowed_characters_name_the_offenders():
    [issue] = check_text("z", "Zoé!", ZoneRules(allowed_chars="Zoé"))
    assert issue.code == "char_not_allowed" and issue.extra["characters"] == ["!"]
    # A decomposed whitelist still accepts the composed text.
    assert codes("Zoé", ZoneRules(allowed_chars="Zoe\u0301")) == set()


def test_scripts_allow_common_and_inherited_with_any():
    latin = ZoneRules(allowed_scripts=["Latin"])
    assert codes("Zoé שלום", latin) == {"script_not_allowed"}
    assert codes("Zoé 12, “ok”! 🎉", latin) == set()
    assert codes("שלום 2024", ZoneRules(allowed_scripts=["Hebrew"])) == set()
    assert codes("سلام", ZoneRules(allowed_scripts=["Arabic", "NotAScript"])) == set()
    [issue] = check_text("z", "Zoé שלום", latin)
    assert issue.extra["characters"] == sorted(set("שלום"))


def test_pattern_is_a_full_match_and_cannot_hang():
    assert codes("AB-12", ZoneRules(pattern=r"[A-Z]{2}-\d{2}")) == set()
    assert codes("AB-123", ZoneRules(pattern=r"[A-Z]{2}-\d{2}")) == {"pattern_mismatch"}
    evil = ZoneRules(pattern=r"(a+)+$", max_length=1000)
    assert codes("a" * 40 + "!", evil) == {"pattern_mismatch"}  # times out, fails closed


def test_blocked_words_ignore_case_and_accents_but_need_whole_words():
    assert blocked_words_in("Quelle Mérde alors", ["merde"]) == ["merde"]
    assert blocked_words_in("MERDE", ["Mérde"]) == ["Mérde"]
    assert blocked_words_in("emmerdeur", ["merde"]) == []
    assert blocked_words_in("Scunthorpe", ["cunt"]) == []
    assert blocked_words_in("son  of\na gun", ["Son of"]) == ["Son of"]
    assert blocked_words_in("merde!", ["merde", "zut"]) == ["merde"]
    assert blocked_words_in("anything", []) == []


def test_case_transforms():
    assert apply_case("straße", CaseTransform.UPPER) == "STRASSE"
    assert apply_case("ZOÉ", CaseTransform.LOWER) == "zoé"
    assert apply_case("zoé de la tour", CaseTransform.TITLE) == "Zoé De La Tour"
    assert apply_case("Zoé", CaseTransform.NONE) == "Zoé"


def test_issue_dict_uses_public_names():
    issue = ZoneIssue("z", "fontId", "font_not_allowed", "No.", {"allowed": ["a"]})
    assert issue.as_dict() == {
        "zoneId": "z",
        "field": "fontId",
        "code": "font_not_allowed",
        "message": "No.",
        "allowed": ["a"],
    }
