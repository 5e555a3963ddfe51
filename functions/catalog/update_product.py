"""PATCH /api/v1/products/{productId}"""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.auth.principal import Role
from atelier.catalog import admin
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Change a product", tags=["catalog"])
def update_product(productId: str, body: admin.ProductPatch) -> Response[admin.ProductOut]:  # noqa: N803
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        product = admin.update_product(session, principal.brand_id, productId, body)
        out = admin.product_out(session, bootstrap.storage(), product)
    return endpoint.json(out)


handler = endpoint.handler
