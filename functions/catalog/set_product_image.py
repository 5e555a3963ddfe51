"""PUT /api/v1/products/{productId}/image — the base image previews are drawn on."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.auth.principal import Role
from atelier.catalog.image_variants import request_conversion
from atelier.catalog.images import ImageOut, ImageUpload, set_product_image
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Set a product's base image (PNG or JPEG, base64)", tags=["catalog"])
def put_image(productId: str, body: ImageUpload) -> Response[ImageOut]:  # noqa: N803
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        out = set_product_image(
            session,
            bootstrap.storage(),
            brand_id=principal.brand_id,
            product_id=productId,
            upload=body,
        )
    # After the commit: the worker must find the product showing this image.
    request_conversion(
        bootstrap.queue(), brand_id=principal.brand_id, product_id=out.product_id, key=out.key
    )
    return endpoint.json(out)


handler = endpoint.handler
