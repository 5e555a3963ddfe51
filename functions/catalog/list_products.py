"""GET /api/v1/products?cursor=&limit=&status="""

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from atelier import bootstrap
from atelier.auth.principal import Role
from atelier.catalog import admin
from atelier.db.models import ProductStatus
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="List products (keyset pagination)", tags=["catalog"])
def list_products(
    cursor: Annotated[str | None, Query(max_length=26)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    status: Annotated[ProductStatus | None, Query()] = None,
) -> Response[admin.ProductPage]:
    principal = endpoint.principal()
    with brand_session(principal, Role.VIEWER) as session:
        page = admin.list_products(
            session,
            bootstrap.storage(),
            principal.brand_id,
            cursor=cursor,
            limit=limit,
            status=status,
        )
    return endpoint.json(page)


handler = endpoint.handler
