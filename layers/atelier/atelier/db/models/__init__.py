"""Every table of the schema, imported so the metadata is complete."""

from atelier.db.base import Base
from atelier.db.models.audit import AnalyticsEvent, AuditLog
from atelier.db.models.catalog import (
    CustomizationType,
    CustomizationZone,
    Font,
    Product,
    ProductStatus,
    Template,
)
from atelier.db.models.commerce import (
    Integration,
    Invoice,
    Order,
    OrderItem,
    ProductMapping,
    Quote,
    UsageRecord,
)
from atelier.db.models.design import (
    Asset,
    Customization,
    Design,
    DesignSpec,
    Generation,
    GenerationStatus,
    RenderResult,
    Snapshot,
)
from atelier.db.models.manufacturing import Artisan, SLARecord, WorkOrder
from atelier.db.models.notifications import Webhook, WebhookEvent, WebhookLog
from atelier.db.models.platform import IdempotencyRecord, InboundEvent, QueueMessage
from atelier.db.models.tenancy import (
    ApiKey,
    ApiKeyKind,
    Brand,
    ClientSettings,
    SubscriptionPlan,
    SubscriptionStatus,
    User,
)

__all__ = [
    "AnalyticsEvent",
    "ApiKey",
    "ApiKeyKind",
    "Artisan",
    "Asset",
    "AuditLog",
    "Base",
    "Brand",
    "ClientSettings",
    "Customization",
    "CustomizationType",
    "CustomizationZone",
    "Design",
    "DesignSpec",
    "Font",
    "Generation",
    "GenerationStatus",
    "IdempotencyRecord",
    "InboundEvent",
    "Integration",
    "Invoice",
    "Order",
    "OrderItem",
    "Product",
    "ProductMapping",
    "ProductStatus",
    "QueueMessage",
    "Quote",
    "RenderResult",
    "SLARecord",
    "Snapshot",
    "SubscriptionPlan",
    "SubscriptionStatus",
    "Template",
    "UsageRecord",
    "User",
    "Webhook",
    "WebhookEvent",
    "WebhookLog",
    "WorkOrder",
]
