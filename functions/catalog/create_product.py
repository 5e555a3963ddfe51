"""POST /api/v1/products"""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.auth.principal import Role
from atelier.catalog import admin
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Create a product", tags=["catalog"])
def create_product(body: admin.ProductIn) -> Response[admin.ProductOut]:
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        product = admin.create_product(session, principal.brand_id, body)
        out = admin.product_out(session, bootstrap.storage(), product)
    return endpoint.json(out, status=201, headers={"Location": f"/api/v1/products/{out.id}"})


handler = endpoint.handler
