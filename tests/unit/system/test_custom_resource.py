"""The custom resource protocol: CloudFormation always gets exactly one answer, in time."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from atelier.system import custom_resource
from tests.cfn_endpoint import CfnEndpoint, LambdaContext, cfn_endpoint


@pytest.fixture
def cfn() -> Iterator[CfnEndpoint]:
    with cfn_endpoint() as endpoint:
        yield endpoint


def test_success_puts_the_response_cloudformation_expects(cfn: CfnEndpoint):
    seen: list[Mapping[str, Any]] = []

    def work(props: Mapping[str, Any]) -> Mapping[str, Any]:
        seen.append(props)
        return {"Revision": "0007", "AppRole": None}

    event = cfn.event("Create")
    custom_resource.handle_request(event, LambdaContext(), work, physical_id="atelier-schema")

    assert seen == [{"Revision": "head"}], "ServiceToken is not a property of the work"
    put = cfn.puts[0]
    assert put.path == "/cfn-response?X-Amz-Signature=abc"
    assert put.headers["Content-Type"] == "", "the presigned URL is signed without one"
    assert put.body == {
        "Status": "SUCCESS",
        "Reason": "",
        "PhysicalResourceId": "atelier-schema",
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": "Schema",
        "NoEcho": False,
        "Data": {"Revision": "0007", "AppRole": ""},
    }


def test_an_exception_answers_failed_with_its_message_only(cfn: CfnEndpoint):
    def work(props: Mapping[str, Any]) -> Mapping[str, Any]:
        raise RuntimeError('relation\n  "brands" is locked')

    custom_resource.handle_request(
        cfn.event("Update"), LambdaContext(), work, physical_id="atelier-schema"
    )
    body = cfn.only_response()
    assert body["Status"] == "FAILED"
    assert body["Reason"].startswith('RuntimeError: relation "brands" is locked (log stream ')
    assert "Traceback" not in body["Reason"] and "File " not in body["Reason"]
    assert body["PhysicalResourceId"] == "atelier-schema"


def test_delete_does_no_work_and_keeps_the_physical_id(cfn: CfnEndpoint):
    def work(props: Mapping[str, Any]) -> Mapping[str, Any]:
        raise AssertionError("Delete must not run the work")

    event = cfn.event("Delete", PhysicalResourceId="whatever-it-was")
    custom_resource.handle_request(event, LambdaContext(), work, physical_id="atelier-schema")
    body = cfn.only_response()
    assert (body["Status"], body["PhysicalResourceId"]) == ("SUCCESS", "whatever-it-was")


def test_an_unknown_request_type_fails(cfn: CfnEndpoint):
    custom_resource.handle_request(
        cfn.event("Rename"), None, lambda p: {}, physical_id="atelier-schema"
    )
    body = cfn.only_response()
    assert body["Status"] == "FAILED" and "Rename" in body["Reason"]


def test_work_outliving_the_deadline_answers_failed_before_the_timeout(cfn: CfnEndpoint):
    answered_meanwhile: list[int] = []

    def slow(props: Mapping[str, Any]) -> Mapping[str, Any]:
        time.sleep(1.0)
        answered_meanwhile.append(len(cfn.puts))
        return {"Revision": "0007"}

    custom_resource.handle_request(
        cfn.event("Create"),
        LambdaContext(timeout_s=10.3),
        slow,
        physical_id="atelier-schema",
        timeout_margin_s=10.0,
    )
    assert answered_meanwhile == [1], "answered while the work was still running"
    body = cfn.only_response()  # the late SUCCESS is not sent: one answer only
    assert body["Status"] == "FAILED" and "timed out" in body["Reason"]


def test_an_unreachable_response_url_is_retried_then_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch,
):
    pauses: list[float] = []
    monkeypatch.setattr(custom_resource.time, "sleep", pauses.append)
    event = {
        "RequestType": "Delete",
        "ResponseURL": "http://127.0.0.1:9/unreachable",
        "StackId": "s",
        "RequestId": "r",
        "LogicalResourceId": "l",
        "PhysicalResourceId": "p",
    }
    sent = custom_resource.handle_request(event, None, lambda p: {}, physical_id="p")
    assert sent["Status"] == "SUCCESS"
    assert pauses == [1, 2], "three attempts, backing off"


def test_only_complete_requests_are_custom_resource_events(cfn: CfnEndpoint):
    assert custom_resource.is_request(cfn.event("Create"))
    assert not custom_resource.is_request({"action": "migrate"})
    assert not custom_resource.is_request({"RequestType": "Create"})
    assert not custom_resource.is_request(["RequestType"])
