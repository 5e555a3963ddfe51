"""GET /api/v1/products/{productId}"""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.auth.principal import Role
from atelier.catalog import admin
from atelier.catalog.repository import get_product as find_product
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="A product with its zones", tags=["catalog"])
def get_product(productId: str) -> Response[admin.ProductOut]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal, Role.VIEWER) as session:
        product = find_product(session, principal.brand_id, productId)
        out = admin.product_out(session, bootstrap.storage(), product)
    return endpoint.json(out)


handler = endpoint.handler
