"""Non-API paths of the local runtime: what CloudFront serves in AWS.

`/docs` is a self-contained API reference page built from `/api/v1/openapi.json` (no CDN:
the local runtime works offline); `/` (the demo storefront) and the widget's module come
from the built widget (`widget/dist`), else `/` says plainly that the widget is not built.
"""

from __future__ import annotations

import mimetypes
import os
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from atelier.adapters.storage import IMMUTABLE_CACHE, LocalStorage, ObjectNotFound
from atelier.local.gateway import GatewayResponse, LocalGateway


def _page(name: str) -> bytes:
    return resources.files("atelier.local.pages").joinpath(name).read_bytes()


class StaticSite:
    def __init__(self, root: Path, gateway: LocalGateway) -> None:
        self.root = root.resolve()
        self.gateway = gateway

    def get(self, method: str, raw_path: str) -> GatewayResponse:
        if method not in ("GET", "HEAD"):
            return GatewayResponse(405, {"Allow": "GET, HEAD"}, b"")
        path = raw_path.split("?", 1)[0]
        if path.startswith("/files/"):
            return self._signed_file(raw_path)
        if path in ("/docs", "/docs/"):
            return GatewayResponse(
                200, {"Content-Type": "text/html; charset=utf-8"}, _page("docs.html")
            )
        if path == "/":
            index = self.root / "index.html"
            if index.is_file():
                return self._file(index)
            return GatewayResponse(
                200, {"Content-Type": "text/html; charset=utf-8"}, _page("no-widget.html")
            )
        return self._file(self.root / path.lstrip("/"))

    def _signed_file(self, raw_path: str) -> GatewayResponse:
        """Objects of the local storage, behind the URLs it signed (S3 presigned URLs in AWS)."""
        from atelier import bootstrap

        store = bootstrap.storage()
        parts = urlsplit(raw_path)
        key = unquote(parts.path.removeprefix("/files/"))
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        forbidden = GatewayResponse(403, {"Content-Type": "text/plain"}, b"Invalid or expired link")
        if not isinstance(store, LocalStorage):
            return forbidden
        if not store.verify(key, query.get("expires", ""), query.get("sig", "")):
            return forbidden
        try:
            data = store.get(key)
        except ObjectNotFound:
            return GatewayResponse(404, {"Content-Type": "text/plain"}, b"Not found")
        headers = {"Content-Type": store.content_type(key), "Cache-Control": IMMUTABLE_CACHE}
        return GatewayResponse(200, headers, data)

    def _file(self, candidate: Path) -> GatewayResponse:
        target = candidate.resolve()
        # Never serve anything outside the site root (no ../ escapes).
        if not target.is_relative_to(self.root) or not target.is_file():
            return GatewayResponse(404, {"Content-Type": "text/plain"}, b"Not found")
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = target.read_bytes()
        if target.name == "index.html":
            # The demo storefront embeds the seeded product and its publishable key.
            for name in ("ATELIER_PRODUCT_ID", "ATELIER_PUBLISHABLE_KEY"):
                data = data.replace(
                    f"%{name}%".encode(), os.environ.get(f"ATELIER_DEMO_{name[8:]}", "").encode()
                )
        return GatewayResponse(200, {"Content-Type": kind}, data)
