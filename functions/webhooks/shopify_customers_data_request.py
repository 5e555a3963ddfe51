"""POST /api/v1/webhooks/shopify/customers/data_request — HMAC-verified, applied once."""

from atelier.http.shopify_endpoint import shopify_endpoint

endpoint = shopify_endpoint(__name__, "customers/data_request")
handler = endpoint.handler
