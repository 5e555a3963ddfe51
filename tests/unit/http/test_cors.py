"""CORS for the two kinds of browser callers: storefronts (the widget) and the brand console."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from atelier import bootstrap
from atelier.http.app import cors_headers
from atelier.http.cors import CONSOLE_HEADERS, preflight

CONSOLE = "https://console.example.com"


@pytest.fixture(autouse=True)
def console(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ATELIER_CONSOLE_ORIGINS", f"{CONSOLE}/, https://Other.Example.com")
    bootstrap.reset()
    yield
    bootstrap.reset()  # monkeypatch then restores the environment


def event(method: str, path: str, origin_header: str | None, **context: str) -> dict[str, object]:
    return {
        "httpMethod": method,
        "path": path,
        "headers": {"Origin": origin_header} if origin_header else {},
        "requestContext": {"requestId": "r-1", "authorizer": dict(context)},
    }


def test_the_console_may_preflight_brand_routes_with_authorization():
    response = preflight(event("OPTIONS", "/api/v1/keys", CONSOLE))
    assert response["statusCode"] == 204
    headers = response["headers"]
    assert headers["Access-Control-Allow-Origin"] == CONSOLE
    assert set(headers["Access-Control-Allow-Methods"].split(", ")) == {"GET", "POST"}
    assert headers["Access-Control-Allow-Headers"] == CONSOLE_HEADERS
    assert "Authorization" in headers["Access-Control-Allow-Headers"]


def test_origins_are_compared_normalized():
    response = preflight(event("OPTIONS", "/api/v1/keys", "https://other.example.com"))
    assert response["headers"]["Access-Control-Allow-Origin"] == "https://other.example.com"


def test_a_storefront_gets_nothing_on_a_brand_only_path():
    # No widget method there: refused before any database lookup of the origin.
    response = preflight(event("OPTIONS", "/api/v1/keys", "https://shop.example"))
    assert response["statusCode"] == 403
    assert "Access-Control-Allow-Origin" not in response["headers"]


def test_responses_carry_cors_for_the_console_and_the_approved_storefront_only():
    assert cors_headers(event("GET", "/api/v1/keys", CONSOLE))["Access-Control-Allow-Origin"] == (
        CONSOLE
    )
    assert cors_headers(event("GET", "/api/v1/keys", "https://evil.example")) == {}
    approved = event("GET", "/x", "https://shop.example", origin="https://shop.example")
    assert cors_headers(approved)["Access-Control-Allow-Origin"] == "https://shop.example"
    assert cors_headers(event("GET", "/api/v1/keys", None)) == {}


def test_without_console_origins_nobody_is_the_console(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ATELIER_CONSOLE_ORIGINS")
    bootstrap.reset()
    assert cors_headers(event("GET", "/api/v1/keys", CONSOLE)) == {}
    assert preflight(event("OPTIONS", "/api/v1/keys", CONSOLE))["statusCode"] == 403
