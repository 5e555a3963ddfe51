"""`atelier serve`: the whole product on one machine.

PostgreSQL (embedded, or DATABASE_URL), migrations, the demo seed, then the local API
gateway on 127.0.0.1. Ctrl-C stops everything; the data stays under `var/` for next time.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from atelier import routes
from atelier.db import migrate
from atelier.db.session import get_engine
from atelier.local.gateway import LocalGateway
from atelier.local.queue_runner import QueueRunner
from atelier.local.runtime import (
    home,
    local_secrets,
    local_storage,
    open_database,
    project_root,
    seal_legacy_secrets,
    use_local_data_key,
)
from atelier.local.seed import seed_demo
from atelier.local.server import make_server
from atelier.observability import logger


def configure_environment(app_url: str, base_url: str) -> None:
    """What the stack sets on every Lambda, set for the in-process handlers."""
    secrets = local_secrets()
    os.environ["DATABASE_URL"] = app_url
    os.environ.setdefault("ATELIER_STAGE", "local")
    os.environ.setdefault("ATELIER_PUBLIC_BASE_URL", base_url)
    os.environ.setdefault("ATELIER_STORAGE_DIR", str(home() / "storage"))
    os.environ.setdefault("ATELIER_OUTBOX_DIR", str(home() / "outbox"))
    os.environ.setdefault("ATELIER_STORAGE_SIGNING_KEY", secrets["storage_signing_key"])
    os.environ.setdefault("ATELIER_JWT_SIGNING_KEY", secrets["jwt_signing_key"])
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "atelier")
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Atelier")
    from atelier import bootstrap

    bootstrap.reset()


def run_every(entry: routes.Scheduled, runner: QueueRunner) -> None:
    """What EventBridge does in AWS: call the scheduled function at its rate (and once at start)."""
    from atelier.local.gateway import lambda_context

    handler = importlib.import_module(entry.handler).handler
    while not runner.stopped:
        try:
            handler(
                {"source": "local.schedule", "detail-type": "Scheduled Event"},
                lambda_context(entry.function_name, entry.timeout_s),
            )
        except Exception:
            logger.exception("scheduled function failed", extra={"schedule": entry.name})
        runner.wait(entry.every_minutes * 60)


def serve(*, host: str, port: int, site_root: Path) -> int:
    sys.path.insert(0, str(project_root()))
    use_local_data_key()
    db = open_database()
    try:
        migrate.upgrade(db.admin_url, "head")
        seal_legacy_secrets(db.admin_url)
        base_url = f"http://{host}:{port}"
        demo = seed_demo(db.admin_url, local_storage(base_url), extra_origins=[base_url])
        os.environ.setdefault("ATELIER_ADMIN_DATABASE_URL", db.admin_url)
        os.environ["ATELIER_DEMO_PRODUCT_ID"] = demo.product_id
        os.environ["ATELIER_DEMO_PUBLISHABLE_KEY"] = demo.publishable_key
        configure_environment(db.app_url, base_url)
        server = make_server(host, port, LocalGateway(), site_root)
        runner = QueueRunner(get_engine(), routes.WORKERS)
        threading.Thread(target=runner.run_forever, name="queue-runner", daemon=True).start()
        for entry in routes.SCHEDULES:
            threading.Thread(
                target=run_every, args=(entry, runner), name=entry.name, daemon=True
            ).start()
        base = base_url

        # Handlers first: a Ctrl-C right after the banner must still stop cleanly.
        def stop(signum: int, frame: FrameType | None) -> None:
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        print(f"Atelier is running at {base}", flush=True)
        print(f"  storefront   {base}/", flush=True)
        print(f"  API docs     {base}/docs", flush=True)
        print(f"  health       {base}/api/v1/health", flush=True)
        print(demo.describe(), flush=True)
        print(f"Data is kept in {home()}. Press Ctrl-C to stop.", flush=True)

        server.serve_forever()
        runner.stop()
        server.server_close()
        print("Stopped; the data is kept.", flush=True)
        return 0
    finally:
        db.stop()
