"""The local HTTP server: the API through `LocalGateway`, plus the pages CloudFront serves
in AWS (the demo storefront at `/`, the API docs at `/docs`)."""

from __future__ import annotations

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from atelier.local.gateway import GatewayResponse, LocalGateway
from atelier.local.static import StaticSite
from atelier.observability import logger

MAX_LOCAL_BODY = 16 * 1024 * 1024  # the gateway itself; handlers enforce the API's 1 MB


class _RequestHandler(BaseHTTPRequestHandler):
    gateway: ClassVar[LocalGateway]
    static: ClassVar[StaticSite]
    protocol_version = "HTTP/1.1"
    server_version = "atelier-local"

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_LOCAL_BODY:
            self._send(GatewayResponse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {}, b""))
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        if not path.startswith("/api/"):
            self._send(self.static.get(self.command, self.path))
            return
        response = self.gateway.invoke(
            self.command,
            self.path,
            headers={k: v for k, v in self.headers.items()},
            body=body,
            source_ip=self.client_address[0],
        )
        self._send(response)

    def _send(self, response: GatewayResponse) -> None:
        self.send_response(response.status)
        for key, value in response.headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _dispatch

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("http", extra={"request": format % args})


def make_server(
    host: str, port: int, gateway: LocalGateway, site_root: Path
) -> ThreadingHTTPServer:
    handler = type(
        "RequestHandler",
        (_RequestHandler,),
        {"gateway": gateway, "static": StaticSite(site_root, gateway)},
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
