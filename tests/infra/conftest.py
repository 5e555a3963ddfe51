"""One synthesized app per test session: synthesis costs seconds."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@pytest.fixture(scope="session")
def synthesized() -> Iterator[Any]:
    from app import build_app

    app = build_app({"bundle": "false", "stage": "test"})
    yield app.synth()


@pytest.fixture(scope="session")
def templates(synthesized: Any) -> dict[str, dict[str, Any]]:
    """Every CloudFormation template of the app: the root stack and its nested stacks."""
    out = {"root": dict(synthesized.get_stack_by_name("Atelier-test").template)}
    for path in Path(synthesized.directory).glob("*.nested.template.json"):
        out[path.name] = json.loads(path.read_text())
    return out


@pytest.fixture(scope="session")
def template(templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """All resources of the app in one template (logical ids are unique across stacks)."""
    resources: dict[str, Any] = {}
    for tpl in templates.values():
        resources.update(tpl.get("Resources", {}))
    return {"Resources": resources}
