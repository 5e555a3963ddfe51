"""POST /api/v1/snapshots — freeze a design; idempotent on its spec hash (201, then 200)."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.commerce.dispatch import dispatch
from atelier.db.models import WebhookEvent
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.notifications.webhooks import announce
from atelier.snapshots.service import SnapshotView, create_snapshot
from atelier.specs.api import SnapshotIn
from atelier.specs.service import build_design, get_spec, save_spec

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Create (or find) the snapshot of a design", tags=["snapshots"])
def create(body: SnapshotIn) -> Response[SnapshotView]:
    principal = endpoint.principal()
    provenance = {
        "source": principal.kind.value,
        "sessionId": body.provenance.session_id,
        "widgetVersion": body.provenance.widget_version,
        "ipAddress": endpoint.source_ip(),
        "userAgent": (endpoint.header("User-Agent") or "")[:300] or None,
        "origin": principal.origin,
    }
    with brand_session(principal) as session:
        if body.design is not None:
            built = build_design(session, bootstrap.storage(), principal.brand_id, body.design)
            spec_row, _ = save_spec(
                session,
                brand_id=principal.brand_id,
                built=built,
                zone_inputs=body.design.model_dump(mode="json", by_alias=True)["zones"],
                metadata={"source": principal.kind.value},
            )
        else:
            spec_row = get_spec(session, principal.brand_id, str(body.spec_hash))
        row, created = create_snapshot(
            session,
            brand_id=principal.brand_id,
            spec_row=spec_row,
            provenance=provenance,
            created_by=principal.kind.value,
        )
        out = SnapshotView.of(row)
        hooks = (
            announce(
                session,
                principal.brand_id,
                WebhookEvent.SNAPSHOT_CREATED,
                {"snapshotId": out.id, "specHash": out.spec_hash, "productId": out.product_id},
            )
            if created
            else []
        )
    dispatch(webhooks=hooks)
    return endpoint.json(
        out, status=201 if created else 200, headers={"Location": f"/api/v1/snapshots/{out.id}"}
    )


handler = endpoint.handler
