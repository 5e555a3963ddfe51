"""The route table: the single source of truth for every API function and queue worker.

The CDK stack builds one Lambda and one API Gateway method per `Route`, and one SQS queue
(with its DLQ) plus one SQS-triggered Lambda per `Worker`. The local gateway dispatches
from the same table. Nothing here imports a handler: entries name modules as strings so
the table stays cheap to import from anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Auth(StrEnum):
    """How API Gateway authenticates a route before the handler runs."""

    PUBLIC = "public"
    """No credentials (health, documentation, public schemas)."""
    WIDGET = "widget"
    """Publishable key (`pk_…`) from an allowed origin, checked by the widget authorizer."""
    BRAND = "brand"
    """A brand user's JWT (Cognito in AWS, the local issuer locally) or a secret key (`sk_…`)."""
    WEBHOOK = "webhook"
    """Signed by a third party (Stripe, Shopify); the handler verifies the raw body."""


class Layer(StrEnum):
    """Dependency layers a function needs beyond the `atelier` domain layer."""

    API = "api"
    MEDIA = "media"


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    handler: str
    auth: Auth
    memory_mb: int = 256
    timeout_s: int = 10
    layers: tuple[Layer, ...] = (Layer.API,)
    sends_to: tuple[str, ...] = ()
    """Queues the function may send to (the stack grants exactly these)."""
    secrets: bool = False
    """Reads the deployment's Secrets Manager secret (Stripe keys); only these may."""

    @property
    def function_name(self) -> str:
        """A stable, human-readable name derived from the handler module."""
        return self.handler.removeprefix("functions.").replace(".", "-").replace("_", "-")

    @property
    def path_pattern(self) -> re.Pattern[str]:
        """The path template as a regex with one named group per `{param}`."""
        pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{pattern}$")


@dataclass(frozen=True, slots=True)
class Worker:
    queue: str
    handler: str
    memory_mb: int = 1024
    timeout_s: int = 60
    batch_size: int = 5
    max_concurrency: int = 10
    max_receive_count: int = 5
    layers: tuple[Layer, ...] = (Layer.API, Layer.MEDIA)
    sends_to: tuple[str, ...] = ()
    """Queues the worker itself may send to (granted by the stack)."""

    @property
    def function_name(self) -> str:
        return self.handler.removeprefix("functions.").replace(".", "-").replace("_", "-")

    @property
    def visibility_timeout_s(self) -> int:
        # AWS recommends at least six times the function timeout for SQS event sources.
        return self.timeout_s * 6


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A function run on a schedule (EventBridge in AWS, a timer in the local runtime)."""

    name: str
    handler: str
    every_minutes: int
    memory_mb: int = 512
    timeout_s: int = 300
    layers: tuple[Layer, ...] = (Layer.API,)
    owner: bool = False
    """Connects as the database owner: cross-tenant maintenance, outside row-level security."""
    sends_to: tuple[str, ...] = ()
    """Queues the scheduled function may send to (granted by the stack)."""

    @property
    def function_name(self) -> str:
        return self.handler.removeprefix("functions.").replace(".", "-").replace("_", "-")


API_PREFIX = "/api/v1"

_P = API_PREFIX
_W, _B, _PUB = Auth.WIDGET, Auth.BRAND, Auth.PUBLIC

_ENDPOINTS: tuple[Route, ...] = (
    # System
    Route("GET", f"{_P}/health", "functions.system.health", _PUB),
    Route("GET", f"{_P}/openapi.json", "functions.system.openapi", _PUB, 512),
    Route("GET", f"{_P}/schemas/design-spec/1.0.0.json", "functions.specs.schema", _PUB),
    # The widget flow (seeds 002 §5.1): publishable key + allowed origin
    Route("GET", f"{_P}/widget/config/{{productId}}", "functions.widget.config", _W),
    Route("POST", f"{_P}/personalization/validate", "functions.personalization.validate", _W, 512),
    Route("POST", f"{_P}/personalization/normalize", "functions.personalization.normalize", _W),
    Route("POST", f"{_P}/personalization/auto-fit", "functions.personalization.auto_fit", _W, 512),
    Route("POST", f"{_P}/specs", "functions.specs.create", _W, 512),
    Route("POST", f"{_P}/specs/validate", "functions.specs.validate", _W),
    Route("GET", f"{_P}/specs/{{specHash}}", "functions.specs.get", _W),
    Route("POST", f"{_P}/snapshots", "functions.snapshots.create", _W, 512, sends_to=("webhooks",)),
    Route("GET", f"{_P}/snapshots/{{snapshotId}}", "functions.snapshots.get", _W),
    Route("POST", f"{_P}/analytics/events", "functions.analytics.ingest", _W),
    # Brand back-office: user JWT (roles) or secret key
    Route("GET", f"{_P}/analytics/funnel", "functions.analytics.funnel", _B),
    Route(
        "POST", f"{_P}/snapshots/{{snapshotId}}/validate", "functions.snapshots.validate", _B, 512
    ),
    Route("POST", f"{_P}/snapshots/{{snapshotId}}/lock", "functions.snapshots.lock", _B),
    Route("GET", f"{_P}/products", "functions.catalog.list_products", _B),
    Route("POST", f"{_P}/products", "functions.catalog.create_product", _B),
    Route("GET", f"{_P}/products/{{productId}}", "functions.catalog.get_product", _B),
    Route("PATCH", f"{_P}/products/{{productId}}", "functions.catalog.update_product", _B),
    Route("DELETE", f"{_P}/products/{{productId}}", "functions.catalog.archive_product", _B),
    Route(
        "PUT",
        f"{_P}/products/{{productId}}/image",
        "functions.catalog.set_product_image",
        _B,
        512,
        sends_to=("asset-convert",),
    ),
    Route("POST", f"{_P}/products/{{productId}}/zones", "functions.catalog.create_zone", _B),
    Route(
        "PATCH",
        f"{_P}/products/{{productId}}/zones/{{zoneId}}",
        "functions.catalog.update_zone",
        _B,
    ),
    Route(
        "DELETE",
        f"{_P}/products/{{productId}}/zones/{{zoneId}}",
        "functions.catalog.delete_zone",
        _B,
    ),
    Route("GET", f"{_P}/fonts", "functions.fonts.list_fonts", _B),
    Route("POST", f"{_P}/fonts", "functions.fonts.upload_font", _B, 512),
    Route("DELETE", f"{_P}/fonts/{{fontId}}", "functions.fonts.delete_font", _B),
    Route("GET", f"{_P}/keys", "functions.keys.list_keys", _B),
    Route("POST", f"{_P}/keys", "functions.keys.create_key", _B),
    Route("DELETE", f"{_P}/keys/{{keyId}}", "functions.keys.revoke_key", _B),
    Route("GET", f"{_P}/brand/settings", "functions.brand.get_settings", _B),
    # Renders (seeds 002 §3.4): enqueue, poll, fetch
    Route(
        "POST",
        f"{_P}/renders/preview",
        "functions.renders.preview",
        _W,
        sends_to=("render-preview",),
    ),
    Route("POST", f"{_P}/renders/final", "functions.renders.final", _W, sends_to=("render-final",)),
    Route("GET", f"{_P}/renders/{{renderId}}/status", "functions.renders.status", _W),
    Route("GET", f"{_P}/renders/{{renderId}}/preview", "functions.renders.fetch", _W),
    # Commerce (seeds 002 §3.6–3.7): signed webhooks, then orders
    *(
        Route(
            "POST",
            f"{_P}/webhooks/shopify/{topic}",
            f"functions.webhooks.shopify_{name}",
            Auth.WEBHOOK,
            sends_to=("export-manufacturing", "email", "webhooks") if name == "orders_paid" else (),
        )
        for topic, name in (
            ("orders/paid", "orders_paid"),
            ("products/update", "products_update"),
            ("customers/data_request", "customers_data_request"),
            ("customers/redact", "customers_redact"),
            ("shop/redact", "shop_redact"),
        )
    ),
    Route(
        "POST",
        f"{_P}/webhooks/stripe",
        "functions.webhooks.stripe_events",
        Auth.WEBHOOK,
        sends_to=("export-manufacturing", "email", "webhooks"),
        secrets=True,
    ),
    Route(
        "POST",
        f"{_P}/billing/payment-intents",
        "functions.billing.payment_intents",
        _B,
        secrets=True,
    ),
    Route("GET", f"{_P}/webhook-endpoints", "functions.webhook_endpoints.list_endpoints", _B),
    Route("POST", f"{_P}/webhook-endpoints", "functions.webhook_endpoints.create_endpoint", _B),
    Route(
        "DELETE",
        f"{_P}/webhook-endpoints/{{webhookId}}",
        "functions.webhook_endpoints.delete_endpoint",
        _B,
    ),
    Route("POST", f"{_P}/orders", "functions.orders.create_order", _B, secrets=True),
    Route("GET", f"{_P}/orders", "functions.orders.list_orders", _B),
    Route("GET", f"{_P}/orders/{{orderId}}", "functions.orders.get_order", _B),
    Route(
        "POST",
        f"{_P}/orders/{{orderId}}/status",
        "functions.orders.change_status",
        _B,
        sends_to=("email",),
    ),
    # Manufacturing (seeds 002 §3.5): export packs, bundles, work orders
    Route(
        "POST",
        f"{_P}/manufacturing/export-pack",
        "functions.manufacturing.export_pack",
        _B,
        sends_to=("export-manufacturing",),
    ),
    Route("GET", f"{_P}/manufacturing/bundles/{{orderId}}", "functions.manufacturing.bundles", _B),
    Route("GET", f"{_P}/manufacturing/work-orders", "functions.manufacturing.list_work_orders", _B),
    Route(
        "POST",
        f"{_P}/manufacturing/work-orders/{{workOrderId}}/export",
        "functions.manufacturing.export_work_order",
        _B,
        sends_to=("export-manufacturing",),
    ),
    Route("PATCH", f"{_P}/brand/settings", "functions.brand.update_settings", _B),
)

PREFLIGHT_HANDLER = "functions.system.preflight"


CORS_AUTHS = frozenset({Auth.WIDGET, Auth.BRAND})
"""Routes browsers call cross-origin: the widget from storefronts, brand routes from the
brand console."""


def _preflights(endpoints: tuple[Route, ...]) -> tuple[Route, ...]:
    """An OPTIONS route per widget or brand path: browsers preflight cross-origin calls."""
    paths = sorted({r.path for r in endpoints if r.auth in CORS_AUTHS})
    return tuple(Route("OPTIONS", path, PREFLIGHT_HANDLER, Auth.PUBLIC) for path in paths)


ROUTES: tuple[Route, ...] = _ENDPOINTS + _preflights(_ENDPOINTS)

WORKERS: tuple[Worker, ...] = (
    Worker(
        "render-preview",
        "functions.workers.render_preview",
        memory_mb=1536,
        timeout_s=60,
        batch_size=4,
        max_concurrency=20,
        max_receive_count=3,
    ),
    Worker(
        "render-final",
        "functions.workers.render_final",
        memory_mb=3008,
        timeout_s=300,
        batch_size=1,
        max_concurrency=10,
        max_receive_count=3,
        sends_to=("email",),  # "your render is ready"
    ),
    Worker(
        "webhooks",
        "functions.workers.deliver_webhook",
        memory_mb=256,
        timeout_s=30,
        batch_size=10,
        max_concurrency=10,
        max_receive_count=8,
        layers=(Layer.API,),
        sends_to=("email",),  # "your endpoint was disabled"
    ),
    Worker(
        "email",
        "functions.workers.send_email",
        memory_mb=256,
        timeout_s=30,
        batch_size=10,
        max_concurrency=5,
        max_receive_count=5,
        layers=(Layer.API,),
    ),
    Worker(
        "export-manufacturing",
        "functions.workers.export_manufacturing",
        memory_mb=3008,
        timeout_s=300,
        batch_size=1,
        max_concurrency=10,
        max_receive_count=3,
        sends_to=("email", "webhooks"),  # production-error emails, bundle.ready
    ),
    Worker(
        "asset-convert",
        "functions.workers.asset_convert",
        # An 8000 x 8000 PNG decodes to 256 MB of pixels; JPEGs decode at reduced scale.
        memory_mb=1536,
        timeout_s=60,
        batch_size=4,
        max_concurrency=10,
        max_receive_count=3,
    ),
)


def route_for_handler(module: str) -> Route:
    """The route a handler module serves (each API function module serves exactly one)."""
    for route in _ENDPOINTS:
        if route.handler == module:
            return route
    raise LookupError(f"{module} is not in the route table")


def allowed_methods(path: str, auths: frozenset[Auth] | None = None) -> list[str]:
    """Methods that exist for a path (for 405 answers and CORS preflights), optionally only
    those of routes with one of `auths`."""
    return sorted(
        {
            r.method
            for r in ROUTES
            if r.path_pattern.match(path) and (auths is None or r.auth in auths)
        }
    )


SCHEDULES: tuple[Scheduled, ...] = (
    Scheduled(
        "cleanup",
        "functions.workers.cleanup",
        every_minutes=60,
        owner=True,
        sends_to=("asset-convert",),  # conversions lost or failed since the last run
    ),
)

# The Lambda REQUEST authorizer module for each authenticated kind of route.
AUTHORIZERS: dict[Auth, str] = {
    Auth.WIDGET: "functions.auth.widget_authorizer",
    Auth.BRAND: "functions.auth.brand_authorizer",
}
