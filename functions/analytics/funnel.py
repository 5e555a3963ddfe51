"""GET /api/v1/analytics/funnel?from=&to= — sessions reaching each step of the widget flow."""

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from atelier.analytics.events import Funnel, funnel
from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="The widget funnel over a period", tags=["analytics"])
def get_funnel(
    start: Annotated[datetime, Query(alias="from")],
    end: Annotated[datetime, Query(alias="to")],
) -> Response[Funnel]:
    principal = endpoint.principal()
    with brand_session(principal, Role.VIEWER) as session:
        out = funnel(session, principal.brand_id, start, end)
    return endpoint.json(out)


handler = endpoint.handler
