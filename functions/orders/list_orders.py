"""GET /api/v1/orders?status=&from=&to=&cursor=&limit="""

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from atelier.auth.principal import Role
from atelier.commerce import orders
from atelier.commerce.states import OrderStatus
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Orders, newest first (keyset pagination)", tags=["orders"])
def list_orders(
    status: Annotated[OrderStatus | None, Query()] = None,
    created_from: Annotated[datetime | None, Query(alias="from")] = None,
    created_to: Annotated[datetime | None, Query(alias="to")] = None,
    cursor: Annotated[str | None, Query(max_length=26)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response[orders.OrderPage]:
    principal = endpoint.principal()
    with brand_session(principal, Role.VIEWER) as session:
        page = orders.list_orders(
            session,
            principal.brand_id,
            cursor=cursor,
            limit=limit,
            status=status,
            created_from=created_from,
            created_to=created_to,
        )
    return endpoint.json(page)


handler = endpoint.handler
