"""A stand-in for the presigned S3 URL CloudFormation waits on: a real HTTP server in a
thread that records every PUT; and a Lambda context with a deadline."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Put:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class CfnEndpoint:
    url: str
    puts: list[Put] = field(default_factory=list)

    def only_response(self) -> dict[str, Any]:
        assert len(self.puts) == 1, self.puts
        return self.puts[0].body

    def event(self, request_type: str, **extra: Any) -> dict[str, Any]:
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ResponseURL": f"{self.url}/cfn-response?X-Amz-Signature=abc",
            "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/atelier-dev/1",
            "RequestId": str(uuid.uuid4()),
            "LogicalResourceId": "Schema",
            "ResourceType": "Custom::AtelierSchema",
            "ResourceProperties": {"ServiceToken": "arn:aws:lambda:fn", "Revision": "head"},
        }
        if request_type != "Create":
            event["PhysicalResourceId"] = "atelier-schema"
        event.update(extra)
        return event


@contextmanager
def cfn_endpoint() -> Iterator[CfnEndpoint]:
    endpoint = CfnEndpoint(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            endpoint.puts.append(Put(self.path, dict(self.headers), json.loads(raw)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()


class LambdaContext:
    """What Lambda passes: names, and the time left before the deadline."""

    function_name = "atelier-dev-system-migrate"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:migrate"
    memory_limit_in_mb = 512
    aws_request_id = "req-1"
    log_group_name = "/aws/lambda/migrate"
    log_stream_name = "2026/11/30/[$LATEST]abc"

    def __init__(self, timeout_s: float = 300.0) -> None:
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)
