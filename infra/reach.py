"""What a function's code can reach, read from the code itself.

A function gets rights on the objects bucket only if its handler module, or a module of
ours it imports (directly or not, at module level or inside a function), calls
`bootstrap.storage()`, the one way code obtains storage; it gets the data key only if it
reaches `atelier.sealing`. Reading imports statically over-approximates (a module imported
for something else counts), which errs on the side of working; a handler that never
reaches them gets no rights at all.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from infra.assets import ROOT

PACKAGES = {"functions": ROOT, "atelier": ROOT / "layers" / "atelier"}
STORAGE_CALL = "bootstrap.storage("


def _source(module: str) -> Path | None:
    base = PACKAGES.get(module.split(".")[0])
    if base is None:
        return None
    path = base.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _imports(module: str) -> frozenset[str]:
    path = _source(module)
    if path is None:
        return frozenset()
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from atelier import bootstrap`: the names may be modules themselves.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(m for m in found if _source(m) is not None)


def _closure(module: str) -> set[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(_imports(current))
    return seen


@cache
def uses_storage(handler_module: str) -> bool:
    for module in _closure(handler_module):
        path = _source(module)
        if path is not None and STORAGE_CALL in path.read_text():
            return True
    return False


@cache
def reaches_module(handler_module: str, module: str) -> bool:
    """Whether `handler_module` imports `module`, directly or not."""
    return module in _closure(handler_module)
