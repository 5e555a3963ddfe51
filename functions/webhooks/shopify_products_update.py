"""POST /api/v1/webhooks/shopify/products/update — HMAC-verified on the raw body, applied once."""

from atelier.http.shopify_endpoint import shopify_endpoint

endpoint = shopify_endpoint(__name__, "products/update")
handler = endpoint.handler
