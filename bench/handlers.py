"""Warm in-process latency of the hot widget handlers against the local PostgreSQL.

Each handler is called the way Lambda calls it (a REST proxy event with the authorizer's
context already attached, as API Gateway does after its authorizer cache hit), warm: the
engine, fonts and shaping caches exist. Goal from the issue: p95 ≤ 15 ms (the seeds' own
bar is 200 ms).
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from atelier import bootstrap, routes
from atelier.adapters.storage import LocalStorage
from atelier.auth.authorizers import widget_principal
from atelier.db import migrate
from atelier.local.gateway import build_proxy_event, lambda_context
from atelier.local.runtime import app_url_for
from bench.stats import summary_ms

RUNS = int(os.environ.get("BENCH_RUNS", "300"))
GOAL_P95_MS = 15.0


def _setup(tmp: Path) -> tuple[Any, dict[str, Any], Any]:
    os.environ.setdefault("XDG_RUNTIME_DIR", str(tmp / "run"))
    from atelier.local.postgres import start_embedded_postgres
    from atelier.local.seed import seed_into

    pg = start_embedded_postgres(tmp / "pg")
    admin = pg.url()
    migrate.upgrade(admin, "head")
    os.environ["ATELIER_HOME"] = str(tmp / "home")
    storage = LocalStorage(tmp / "storage", "bench-key", "http://127.0.0.1:8000")
    engine = create_engine(admin)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        demo = seed_into(session, storage, extra_origins=["https://bench.example"])
    engine.dispose()
    os.environ.update(
        DATABASE_URL=app_url_for(admin),
        ATELIER_STORAGE_DIR=str(tmp / "storage"),
        ATELIER_STORAGE_SIGNING_KEY="bench-key",
        POWERTOOLS_LOG_LEVEL="WARNING",
    )
    bootstrap.reset()
    principal = widget_principal(
        {"X-Atelier-Key": demo.publishable_key, "Origin": "https://bench.example"}
    )
    return pg, {"principal": principal.to_context(), "demo": demo}, storage


def _caller(
    handler_module: str, context: dict[str, Any]
) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    route = routes.route_for_handler(handler_module)
    handler = importlib.import_module(handler_module).handler

    def call(path: str, body: dict[str, Any]) -> dict[str, Any]:
        event = build_proxy_event(
            route=route,
            method=route.method,
            path=path,
            query="",
            headers={"Content-Type": "application/json", "Origin": "https://bench.example"},
            body=json.dumps(body).encode(),
            path_params={},
            source_ip="127.0.0.1",
            authorizer=context,
        )
        response = handler(event, lambda_context(route.function_name))
        assert response["statusCode"] < 300, response
        return response

    return call


def _measure(name: str, fn: Callable[[int], Any]) -> list[float]:
    for i in range(20):
        fn(-1 - i)  # warm-up: imports, connections, caches
    samples = []
    for i in range(RUNS):
        start = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - start)
    p95 = sorted(samples)[int(0.95 * (len(samples) - 1))] * 1000
    verdict = "meets" if p95 <= GOAL_P95_MS else "misses"
    print(f"{name:38s} {summary_ms(samples)}   {verdict} p95 ≤ {GOAL_P95_MS} ms")
    return samples


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pg, ctx, _ = _setup(tmp)
        try:
            demo = ctx["demo"]
            name, date = demo.zone_ids
            print(f"\n== warm handler latency ({RUNS} calls each, local PostgreSQL) ==")
            validate = _caller("functions.personalization.validate", ctx["principal"])
            spec = _caller("functions.specs.create", ctx["principal"])
            snapshot = _caller("functions.snapshots.create", ctx["principal"])

            def design(i: int) -> dict[str, Any]:
                return {
                    "productId": demo.product_id,
                    "zones": {name: {"text": f"Zoé & Martin {i}"}, date: {"text": "12/05/2026"}},
                }

            _measure(
                "POST /personalization/validate",
                lambda i: validate("/api/v1/personalization/validate", design(i)),
            )
            _measure(
                "POST /specs (new spec each call)",
                lambda i: spec("/api/v1/specs", design(10_000 + i)),
            )
            _measure("POST /specs (repeat: 200)", lambda i: spec("/api/v1/specs", design(7)))
            _measure(
                "POST /snapshots (new each call)",
                lambda i: snapshot("/api/v1/snapshots", {"design": design(20_000 + i)}),
            )
            _measure(
                "POST /snapshots (repeat: 200)",
                lambda i: snapshot("/api/v1/snapshots", {"design": design(7)}),
            )
            _renders(ctx, design)
        finally:
            bootstrap.reset()
            pg.stop()


def _renders(ctx: dict[str, Any], design: Callable[[int], dict[str, Any]]) -> None:
    from atelier.db.session import get_engine
    from atelier.local.queue_runner import QueueRunner

    snapshot = _caller("functions.snapshots.create", ctx["principal"])
    preview_route = routes.route_for_handler("functions.renders.preview")
    handler = importlib.import_module("functions.renders.preview").handler

    def preview(snapshot_id: str) -> dict[str, Any]:
        event = build_proxy_event(
            route=preview_route,
            method="POST",
            path="/api/v1/renders/preview",
            query="",
            headers={"Content-Type": "application/json"},
            body=json.dumps({"snapshotId": snapshot_id}).encode(),
            path_params={},
            source_ip="127.0.0.1",
            authorizer=ctx["principal"],
        )
        return handler(event, lambda_context("preview"))

    runner = QueueRunner(get_engine(), routes.WORKERS)
    ids = [
        json.loads(snapshot("/api/v1/snapshots", {"design": design(50_000 + i)})["body"])["id"]
        for i in range(30)
    ]
    preview(ids[0])
    runner.drain()
    _measure("POST /renders/preview (cache hit)", lambda i: preview(ids[0]))
    start = time.perf_counter()
    for snapshot_id in ids[1:]:
        preview(snapshot_id)
    runner.drain(timeout_s=300)
    took = time.perf_counter() - start
    label = "local queue: 29 previews end to end"
    print(f"{label:38s} {took:.2f} s   {29 / took:.1f} renders/s (one worker thread)")
