"""`atelier serve` as a user runs it: a real process, a real socket, the data kept."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Runtime:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ATELIER_HOME": str(home)}
        env.pop("DATABASE_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "atelier.cli", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.banner = self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> str:
        lines = []
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Press Ctrl-C to stop" in line:
                return "".join(lines)
        raise AssertionError("the runtime did not start:\n" + "".join(lines))

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=30)
        return out


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def runtime(home: Path) -> Iterator[Runtime]:
    rt = Runtime(home)
    yield rt
    if rt.proc.poll() is None:
        rt.stop()


def key_from(banner: str) -> str:
    [line] = [line for line in banner.splitlines() if line.startswith("Publishable key")]
    return line.split()[-1]


def test_serve_prints_urls_and_key_and_answers(runtime: Runtime):
    assert f"API docs     {runtime.base}/docs" in runtime.banner
    assert key_from(runtime.banner).startswith("pk_")

    status, _, body = runtime.get("/api/v1/health")
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok"
    assert health["database"]["revision"] == health["database"]["head"]

    status, headers, body = runtime.get("/api/v1/does-not-exist")
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["type"] == "urn:atelier:problem:not-found"

    status, headers, body = runtime.get("/docs")
    assert status == 200 and b"openapi.json" in body
    status, _, body = runtime.get("/api/v1/openapi.json")
    assert status == 200 and json.loads(body)["openapi"].startswith("3.1")


def test_stopping_keeps_the_data_and_a_restart_reuses_it(runtime: Runtime, home: Path):
    first_key = key_from(runtime.banner)
    first_brand = [line for line in runtime.banner.splitlines() if line.startswith("Demo brand")]
    out = runtime.stop()
    assert "Stopped; the data is kept." in out
    assert (home / "postgres").is_dir()

    again = Runtime(home)
    try:
        assert key_from(again.banner) == first_key
        assert [
            line for line in again.banner.splitlines() if line.startswith("Demo brand")
        ] == first_brand
        status, _, _ = again.get("/api/v1/health")
        assert status == 200
    finally:
        again.stop()


def test_the_whole_journey_offline(runtime: Runtime, home: Path):
    """Widget config → snapshot → `atelier demo-order` (signed Shopify orders/paid) → the
    export worker's bundle, all against the running local runtime."""
    key = key_from(runtime.banner)
    [product_line] = [
        line for line in runtime.banner.splitlines() if line.startswith("Demo product")
    ]
    product = product_line.split()[-1]
    widget = {"X-Atelier-Key": key, "Origin": runtime.base, "Content-Type": "application/json"}

    def call(
        method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            runtime.base + path, data=data, method=method, headers=headers or widget
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    status, config = call("GET", f"/api/v1/widget/config/{product}")
    assert status == 200, config
    zone = config["zones"][0]["id"]
    status, snapshot = call(
        "POST",
        "/api/v1/snapshots",
        {"design": {"productId": product, "zones": {zone: {"text": "Zoé & Martin"}}}},
    )
    assert status == 201, snapshot

    env = {**os.environ, "ATELIER_HOME": str(home)}
    demo = subprocess.run(
        [
            sys.executable,
            "-m",
            "atelier.cli",
            "demo-order",
            "--url",
            runtime.base,
            "--snapshot",
            snapshot["id"],
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    order_id = demo.stdout.split()[1]
    token = subprocess.run(
        [sys.executable, "-m", "atelier.cli", "create-token", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    brand = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, bundles = call("GET", f"/api/v1/manufacturing/bundles/{order_id}", headers=brand)
        assert status == 200, bundles
        if bundles["bundles"] and bundles["bundles"][0]["status"] == "success":
            break
        time.sleep(0.5)
    assert bundles["bundles"][0]["url"].startswith(runtime.base + "/files/bundles/")
    with urllib.request.urlopen(bundles["bundles"][0]["url"], timeout=30) as response:
        assert response.read()[:2] == b"PK"
