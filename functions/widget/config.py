"""GET /api/v1/widget/config/{productId} — cacheable (ETag, one hour)."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint, NotModified
from atelier.http.caching import etag_for, matches
from atelier.http.scope import brand_session
from atelier.widget.config import WidgetConfig, widget_config

endpoint = Endpoint(__name__)
CACHE_CONTROL = "public, max-age=3600"


@endpoint.handles(summary="Product, zones, fonts and price for the widget", tags=["widget"])
def get_config(productId: str) -> Response[WidgetConfig]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal) as session:
        config = widget_config(
            session, bootstrap.storage(), brand_id=principal.brand_id, product_id=productId
        )
    etag = etag_for(config.model_dump(mode="json", by_alias=True))
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if matches(endpoint.header("If-None-Match"), etag):
        raise NotModified(headers)
    return endpoint.json(config, headers=headers)


handler = endpoint.handler
