"""The API contract every function inherits from `atelier.http.app`: problem responses with
stable types, 400/404/405/413/415/422/500/503 as documented, correlation ids, no traces."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, ConfigDict, Field

from atelier.errors import NotFound, ServiceUnavailable
from atelier.http.app import MAX_BODY_BYTES, create_resolver, handle
from atelier.local.gateway import build_proxy_event, lambda_context, to_gateway_response
from atelier.observability import logger
from atelier.routes import Auth, Route


class Greeting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=10)
    times: int = 1


router = Router()


@router.post("/greet")
def greet(body: Greeting) -> dict[str, Any]:
    return {"hello": body.name * body.times}


@router.get("/boom")
def boom() -> dict[str, Any]:
    raise RuntimeError("password=hunter2 in an internal message")


@router.get("/missing")
def missing() -> dict[str, Any]:
    raise NotFound("No such widget.")


@router.get("/down")
def down() -> dict[str, Any]:
    raise ServiceUnavailable("The database is unavailable.", headers={"Retry-After": "5"})


APP = create_resolver(router)


def call(method: str, path: str, body: bytes | str = b"", headers: dict[str, str] | None = None):
    route = Route(method, path, "tests.fake", Auth.PUBLIC)
    payload = body.encode() if isinstance(body, str) else body
    event = build_proxy_event(
        route=route,
        method=method,
        path=path,
        query="",
        headers={"Content-Type": "application/json", **(headers or {})},
        body=payload,
        path_params={},
        source_ip="127.0.0.1",
    )
    result = handle(APP, event, lambda_context("fake"))
    response = to_gateway_response(result)
    return response, json.loads(response.body) if response.body else None


def test_valid_request_is_answered():
    response, body = call("POST", "/greet", '{"name": "Ada", "times": 2}')
    assert response.status == 200
    assert body == {"hello": "AdaAda"}


def test_malformed_json_is_a_400_problem():
    response, body = call("POST", "/greet", '{"name": "Ada",')
    assert response.status == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert body["type"] == "urn:atelier:problem:malformed-request"
    assert "line 1" in body["detail"]


def test_invalid_utf8_is_a_400_problem():
    response, body = call("POST", "/greet", b'{"name": "\xff\xfe"}')
    assert response.status == 400
    assert body["type"] == "urn:atelier:problem:malformed-request"
    assert "UTF-8" in body["detail"]


def test_wrong_fields_are_a_422_naming_each_field():
    response, body = call(
        "POST", "/greet", '{"name": "A very long name", "times": "x", "admin": 1}'
    )
    assert response.status == 422
    assert body["type"] == "urn:atelier:problem:validation-error"
    codes = {e["field"]: e["code"] for e in body["errors"]}
    assert codes == {"name": "too_long", "times": "invalid_type", "admin": "unknown_field"}


def test_body_over_one_megabyte_is_a_413():
    big = json.dumps({"name": "x" * (MAX_BODY_BYTES + 1)})
    response, body = call("POST", "/greet", big)
    assert response.status == 413
    assert body["type"] == "urn:atelier:problem:payload-too-large"


def test_non_json_content_type_is_a_415():
    response, body = call("POST", "/greet", "name=Ada", headers={"Content-Type": "text/plain"})
    assert response.status == 415
    assert body["type"] == "urn:atelier:problem:unsupported-media-type"


def test_domain_errors_keep_their_status_and_headers():
    response, body = call("GET", "/missing")
    assert (response.status, body["type"]) == (404, "urn:atelier:problem:not-found")
    response, body = call("GET", "/down")
    assert response.status == 503
    assert response.headers["Retry-After"] == "5"


def test_unexpected_errors_are_a_500_without_internals(caplog: pytest.LogCaptureFixture):
    response, body = call("GET", "/boom")
    assert response.status == 500
    assert body["type"] == "urn:atelier:problem:internal-error"
    assert "hunter2" not in response.body.decode() and "Traceback" not in response.body.decode()
    # The details go to the log instead, tagged with the request's correlation id.
    [record] = [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert record.exc_info and "hunter2" in str(record.exc_info[1])
    assert logger.get_correlation_id() == response.headers["X-Request-Id"]


def test_correlation_id_is_taken_from_the_request_or_created():
    response, body = call("GET", "/missing", headers={"X-Request-Id": "req-42"})
    assert response.headers["X-Request-Id"] == "req-42"
    assert body["instance"] == "req-42"
    # Unsafe values (header injection, huge strings) are replaced, not echoed.
    response, _ = call("GET", "/missing", headers={"X-Request-Id": "bad\r\nSet-Cookie: x"})
    assert response.headers["X-Request-Id"] != "bad\r\nSet-Cookie: x"
    assert len(response.headers["X-Request-Id"]) > 0
