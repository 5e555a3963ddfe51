"""Paths to the real fonts the typography and personalization tests shape with.

Roboto and Lato come from their PyPI packages (TTFs under `<package>/files/`); DejaVu
Sans (Latin, Arabic, Hebrew) from the system. Tests skip when a font is absent rather
than fail on a machine without it.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import pytest

from atelier.typography.fonts import LoadedFont, load_font

DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _package_file(package: str, filename: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "files" / filename
    return path if path.exists() else None


def font_path(name: str) -> Path:
    """The file of a test font: "roboto", "roboto-bold", "lato" or "dejavusans"."""
    key = name.lower()
    candidates = {
        "roboto": _package_file("font_roboto", "Roboto-Regular.ttf"),
        "roboto-bold": _package_file("font_roboto", "Roboto-Bold.ttf"),
        "lato": _package_file("font_lato", "Lato-Regular.ttf"),
        "dejavusans": DEJAVU_SANS if DEJAVU_SANS.exists() else None,
    }
    path = candidates.get(key)
    if path is None:
        pytest.skip(f"test font {name} is not installed")
    return path


@cache
def real_font(name: str) -> LoadedFont:
    """The font loaded once per test process (through the production cache)."""
    return load_font(font_path(name).read_bytes())
