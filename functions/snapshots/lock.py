"""POST /api/v1/snapshots/{snapshotId}/lock — after this the database refuses any change."""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.snapshots.service import SnapshotView, lock_snapshot

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Lock a snapshot (idempotent)", tags=["snapshots"])
def lock(snapshotId: str) -> Response[SnapshotView]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        out = SnapshotView.of(lock_snapshot(session, principal.brand_id, snapshotId))
    return endpoint.json(out)


handler = endpoint.handler
