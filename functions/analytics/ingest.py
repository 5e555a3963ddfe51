"""POST /api/v1/analytics/events — the widget's batched events."""

from aws_lambda_powertools.event_handler import Response

from atelier.analytics.events import Accepted, EventBatch, ingest
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Record widget events (batched)", tags=["analytics"])
def events(body: EventBatch) -> Response[Accepted]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        out = ingest(session, principal.brand_id, body)
    return endpoint.json(out, status=202)


handler = endpoint.handler
