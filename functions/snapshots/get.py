"""GET /api/v1/snapshots/{snapshotId}"""

from aws_lambda_powertools.event_handler import Response

from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.snapshots.service import SnapshotView, get_snapshot

endpoint = Endpoint(__name__)


@endpoint.handles(summary="A snapshot", tags=["snapshots"])
def get(snapshotId: str) -> Response[SnapshotView]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal) as session:
        out = SnapshotView.of(get_snapshot(session, principal.brand_id, snapshotId))
    return endpoint.json(out)


handler = endpoint.handler
