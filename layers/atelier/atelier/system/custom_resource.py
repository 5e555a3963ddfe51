"""The CloudFormation custom resource protocol, for a function that is its own ServiceToken
(no CDK Provider framework in between).

CloudFormation waits for one PUT to the request's presigned `ResponseURL`; without it the
stack hangs for an hour. So a response is always sent: SUCCESS, FAILED with the error's
message (not a trace; the trace goes to the function's log), or FAILED shortly before the
function would time out.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from atelier.observability import logger

REQUIRED_KEYS = ("RequestType", "ResponseURL", "StackId", "RequestId", "LogicalResourceId")
TIMEOUT_MARGIN_S = 10.0
"""Answer FAILED this long before the function's deadline if the work is still running."""
MAX_REASON = 1000

OnChange = Callable[[Mapping[str, Any]], Mapping[str, Any]]
"""Does the work for Create and Update: resource properties → `Data` attributes."""


def is_request(event: Any) -> bool:
    return isinstance(event, Mapping) and all(k in event for k in REQUIRED_KEYS)


def handle_request(
    event: Mapping[str, Any],
    context: Any,
    on_change: OnChange,
    *,
    physical_id: str,
    timeout_margin_s: float = TIMEOUT_MARGIN_S,
) -> dict[str, Any]:
    """Run `on_change` for Create/Update (Delete does nothing) and answer CloudFormation.

    Returns the response sent. `physical_id` must stay the same across updates: a new one
    makes CloudFormation delete the "old" resource.
    """
    request_type = event["RequestType"]
    changes = request_type in ("Create", "Update")
    responder = _Responder(
        event, physical_id if changes else event.get("PhysicalResourceId") or physical_id
    )
    watchdog = _watchdog(context, responder, timeout_margin_s)
    try:
        if changes:
            attributes = on_change(_properties(event))
            data = {k: "" if v is None else str(v) for k, v in attributes.items()}
        elif request_type == "Delete":
            data = {}
        else:
            raise ValueError(f"Unknown RequestType {request_type!r}.")
        responder.send("SUCCESS", "", data)
    except Exception as exc:
        logger.exception("custom resource %s failed", request_type)
        responder.send("FAILED", failure_reason(exc, context), {})
    finally:
        if watchdog is not None:
            watchdog.cancel()
            watchdog.join(timeout=60)  # it may be mid-PUT: let it finish before returning
    return responder.sent or {}


def _properties(event: Mapping[str, Any]) -> Mapping[str, Any]:
    props = event.get("ResourceProperties") or {}
    return {k: v for k, v in props.items() if k != "ServiceToken"}


def failure_reason(exc: BaseException, context: Any) -> str:
    """The exception's message, its type for context, and where the full trace is."""
    message = " ".join(str(exc).split()) or "(no message)"
    reason = f"{type(exc).__name__}: {message}"
    stream = getattr(context, "log_stream_name", None)
    if stream:
        reason = f"{reason[:MAX_REASON]} (log stream {stream})"
    return reason[: MAX_REASON + 200]


class _Responder:
    """Sends the one response CloudFormation waits for, whichever thread gets there first."""

    def __init__(self, event: Mapping[str, Any], physical_id: str) -> None:
        self.event = event
        self.physical_id = str(physical_id)
        self.sent: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def send(self, status: str, reason: str, data: Mapping[str, str]) -> None:
        with self._lock:
            if self.sent is not None:
                return
            self.sent = {
                "Status": status,
                "Reason": reason,
                "PhysicalResourceId": self.physical_id,
                "StackId": self.event["StackId"],
                "RequestId": self.event["RequestId"],
                "LogicalResourceId": self.event["LogicalResourceId"],
                "NoEcho": False,
                "Data": dict(data),
            }
            put_response(self.event["ResponseURL"], self.sent)
        logger.info(
            "custom resource answered",
            extra={"status": status, "request_type": self.event["RequestType"]},
        )


def put_response(url: str, body: Mapping[str, Any], *, attempts: int = 3) -> None:
    """PUT the response to the presigned S3 URL (retried; an error is logged, not raised)."""
    if urlsplit(url).scheme not in ("https", "http"):
        logger.error("custom resource response URL is not http(s); not answered")
        return
    payload = json.dumps(body).encode()
    # The URL is presigned without a content type: send an empty one, not urllib's default.
    headers = {"Content-Type": "", "Content-Length": str(len(payload))}
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=payload, method="PUT", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
            return
        except Exception as exc:
            logger.warning(
                "custom resource response failed",
                extra={"attempt": attempt, "error": type(exc).__name__},
            )
            if attempt < attempts:
                time.sleep(attempt)
    logger.error("custom resource response could not be delivered")


def _watchdog(context: Any, responder: _Responder, margin_s: float) -> threading.Timer | None:
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return None
    delay = max(remaining() / 1000 - margin_s, 0.0)
    timer = threading.Timer(
        delay,
        responder.send,
        args=("FAILED", "The function timed out before the work finished.", {}),
    )
    timer.daemon = True
    timer.start()
    return timer
