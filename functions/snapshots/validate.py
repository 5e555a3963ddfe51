"""POST /api/v1/snapshots/{snapshotId}/validate — a brand user approves the design after
the server re-checks it against the product's current rules."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.auth.principal import Role
from atelier.errors import FieldError, ValidationFailed
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.snapshots.service import SnapshotView, get_snapshot, mark_validated
from atelier.specs.service import revalidate_spec

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Validate a snapshot", tags=["snapshots"])
def validate(snapshotId: str) -> Response[SnapshotView]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        row = get_snapshot(session, principal.brand_id, snapshotId, for_update=True)
        check = revalidate_spec(session, bootstrap.storage(), principal.brand_id, row.spec)
        if not check.valid:
            raise ValidationFailed(
                "The snapshot no longer satisfies the product's rules.",
                errors=[
                    FieldError(
                        f"zones.{i.zone_id}.{i.field}", i.code, i.message, {"zoneId": i.zone_id}
                    )
                    for i in check.issues
                ],
            )
        out = SnapshotView.of(mark_validated(session, row, principal.subject))
    return endpoint.json(out)


handler = endpoint.handler
