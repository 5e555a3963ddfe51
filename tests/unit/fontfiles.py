"""Real font files for tests: Roboto and Lato from PyPI, DejaVu Sans (Arabic, Hebrew)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from atelier.local.seed import demo_font_files
from atelier.typography.fonts import LoadedFont, load_font


@cache
def font(name: str) -> LoadedFont:
    for path in demo_font_files():
        if path.name.lower().startswith(name.lower()):
            return load_font(path.read_bytes())
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if name.lower() == "dejavusans" and dejavu.exists():
        return load_font(dejavu.read_bytes())
    pytest.skip(f"font {name} is not installed")  # make test installs it (fonts-dejavu-core)
