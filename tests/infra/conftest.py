"""One synthesized app per test session: synthesis costs seconds."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@pytest.fixture(scope="session")
def synthesized() -> Iterator[object]:
    from app import build_app

    app = build_app({"bundle": "false", "stage": "test"})
    yield app.synth()


@pytest.fixture(scope="session")
def template(synthesized: object) -> dict[str, object]:
    assembly = synthesized
    stack = assembly.get_stack_by_name("Atelier-test")  # type: ignore[attr-defined]
    return dict(stack.template)
