"""POST /api/v1/webhooks/shopify/customers/redact — HMAC-verified on the raw body, applied once."""

from atelier.http.shopify_endpoint import shopify_endpoint

endpoint = shopify_endpoint(__name__, "customers/redact")
handler = endpoint.handler
