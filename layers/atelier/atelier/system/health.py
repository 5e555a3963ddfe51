"""Service health: is the database reachable, and is its schema at the code's revision?"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from atelier import __version__
from atelier.db.session import unit_of_work
from atelier.errors import ServiceUnavailable


class DatabaseHealth(BaseModel):
    status: str = Field(description="ok, or behind when migrations are pending")
    revision: str | None = Field(description="The schema revision applied to the database")
    head: str | None = Field(description="The newest revision this code knows")


class Health(BaseModel):
    status: str
    version: str
    database: DatabaseHealth


@lru_cache(maxsize=1)
def _head() -> str | None:
    # Alembic is only imported here, and once: health is the one API path that needs it.
    from atelier.db.migrate import head_revision

    return head_revision()


def check_health() -> Health:
    with unit_of_work() as session:
        try:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except ProgrammingError as exc:
            # A database without our schema is as good as down for the API.
            raise ServiceUnavailable("The database has no schema yet (run migrations).") from exc
    head = _head()
    state = "ok" if revision == head else "behind"
    return Health(
        status="ok" if state == "ok" else "degraded",
        version=__version__,
        database=DatabaseHealth(status=state, revision=revision, head=head),
    )
