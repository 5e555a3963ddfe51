"""The route table is the single source of truth: every entry has a handler module that
serves exactly that route, and the local gateway dispatches every entry."""

from __future__ import annotations

import importlib

import pytest

from atelier import routes
from atelier.http.app import powertools_path
from atelier.local.gateway import LocalGateway


@pytest.mark.parametrize("route", routes.ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_every_route_has_its_handler(route: routes.Route):
    module = importlib.import_module(route.handler)
    assert callable(module.handler)
    if route.handler == routes.PREFLIGHT_HANDLER:
        return
    endpoint = module.endpoint
    assert endpoint.route == route
    keys = list(endpoint.router._routes)
    assert {k[0] for k in keys} == {powertools_path(route.path)}
    assert {m for k in keys for m in k[1]} == {route.method}


def test_routes_are_unique_and_every_browser_path_has_a_preflight():
    keys = [(r.method, r.path) for r in routes.ROUTES]
    assert len(keys) == len(set(keys))
    browser_paths = {
        r.path for r in routes.ROUTES if r.auth in (routes.Auth.WIDGET, routes.Auth.BRAND)
    }
    preflights = {r.path for r in routes.ROUTES if r.method == "OPTIONS"}
    assert browser_paths == preflights
    webhook_paths = {r.path for r in routes.ROUTES if r.auth is routes.Auth.WEBHOOK}
    assert not webhook_paths & preflights  # servers call those, never browsers


@pytest.mark.parametrize("route", routes.ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_the_gateway_dispatches_every_route(route: routes.Route):
    concrete = route.path.replace("{", "").replace("}", "")
    found, params = LocalGateway()._match(route.method, concrete)
    assert found.path == route.path
    assert set(params) == set(route.path_pattern.groupindex)
