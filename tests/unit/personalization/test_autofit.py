"""Auto-fit and wrapping with real shaping."""

from __future__ import annotations

from typing import Any

import pytest

from atelier.personalization import autofit
from atelier.personalization.autofit import auto_fit, wrap_lines
from atelier.typography.layout import block_height_mm, measure_line_mm
from tests.unit.fontpaths import real_font

ARGS: dict[str, Any] = {
    "box_width_mm": 80,
    "box_height_mm": 20,
    "max_lines": 2,
    "min_size_mm": 2,
    "max_size_mm": 18,
    "line_spacing": 1.2,
}
TEXTS = [
    "Zoé",
    "Zoé Martin",
    "Zoé et Martin Dupont",
    "Zoé, Martin, Léa, Hugo et Camille Dupont",
    "Zoé, Martin, Léa, Hugo, Camille, Jules, Inès et Gabriel Dupont de la Tour",
]


def test_auto_fit_is_monotonic_fits_and_is_the_largest():
    f = real_font("roboto")
    sizes = []
    for text in TEXTS:
        fit = auto_fit(f, text, **ARGS)
        assert fit.fits and len(fit.lines) <= 2
        assert fit.width_mm <= 80 + 1e-9 and fit.height_mm <= 20 + 1e-9
        # The reported block is the real one.
        assert fit.width_mm == pytest.approx(
            max(measure_line_mm(f, ln, fit.size_mm) for ln in fit.lines)
        )
        assert fit.height_mm == pytest.approx(block_height_mm(f, fit.size_mm, len(fit.lines), 1.2))
        assert fit.size_mm == round(fit.size_mm, 2)
        bigger = round(fit.size_mm + 0.05, 2)
        if fit.size_mm < 18:
            assert not auto_fit(
                f, text, **{**ARGS, "min_size_mm": bigger, "max_size_mm": bigger}
            ).fits
        sizes.append(fit.size_mm)
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-1] < sizes[0]


def test_nothing_fits_reports_min_size():
    f = real_font("roboto")
    fit = auto_fit(f, "x" * 400, **ARGS)
    assert not fit.fits and fit.size_mm == 2 and fit.lines == ["x" * 400]


def test_wraps_to_two_lines_when_that_is_bigger():
    f = real_font("roboto")
    text = "Joyeux anniversaire Mamie"
    one = auto_fit(f, text, **{**ARGS, "max_lines": 1, "box_height_mm": 40})
    two = auto_fit(f, text, **{**ARGS, "box_height_mm": 40})
    assert len(one.lines) == 1 and len(two.lines) == 2 and two.size_mm > one.size_mm
    assert " ".join(two.lines) == text


def test_wrap_lines_is_greedy_and_respects_explicit_breaks():
    f = real_font("roboto")
    assert wrap_lines(f, "aa bb cc", 10, 1000, 1) == ["aa bb cc"]
    assert wrap_lines(f, "aa\nbb", 10, 1000, 2) == ["aa", "bb"]
    assert wrap_lines(f, "aa\nbb", 10, 1000, 1) is None
    width = measure_line_mm(f, "aa bb", 10)
    assert wrap_lines(f, "aa bb cc", 10, width + 0.01, 3) == ["aa bb", "cc"]
    assert wrap_lines(f, "aa bb cc", 10, 0.1, 3) == ["aa", "bb", "cc"]
    assert wrap_lines(f, "aa bb cc", 10, 0.1, 2) is None
    assert wrap_lines(f, "a\u00a0b", 10, 0.1, 2) == ["a\u00a0b"], "no-break space holds"


def test_explicit_lines_fit_together():
    f = real_font("roboto")
    fit = auto_fit(f, "Zoé\nMartin", **ARGS)
    assert fit.fits and fit.lines == ["Zoé", "Martin"]


def test_rtl_text_fits():
    f = real_font("dejavusans")
    fit = auto_fit(f, "עם ישראל חי לעולם ועד", **ARGS)
    assert fit.fits and 2 < fit.size_mm < 18


def test_binary_search_costs_about_fifteen_fits(monkeypatch: pytest.MonkeyPatch):
    f = real_font("roboto")
    calls = []
    original = autofit._fit_at

    def counting(*args: object) -> tuple[bool, list[str], float, float]:
        calls.append(args)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(autofit, "_fit_at", counting)
    auto_fit(f, "Zoé, Martin, Léa, Hugo et Camille Dupont", **ARGS)
    assert len(calls) <= 15
