"""POST /api/v1/specs — build the canonical spec of a valid design (201, or 200 if known)."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.personalization.inputs import DesignInput
from atelier.specs.api import SpecOut
from atelier.specs.service import build_design, save_spec

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Create a DesignSpec from a design", tags=["specs"])
def create_spec(body: DesignInput) -> Response[SpecOut]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        built = build_design(session, bootstrap.storage(), principal.brand_id, body)
        row, created = save_spec(
            session,
            brand_id=principal.brand_id,
            built=built,
            zone_inputs=body.model_dump(mode="json", by_alias=True)["zones"],
            metadata={"source": principal.kind.value},
        )
        out = SpecOut(spec_hash=row.spec_hash, spec_version=row.spec_version, spec=row.spec)
    return endpoint.json(
        out, status=201 if created else 200, headers={"Location": f"/api/v1/specs/{out.spec_hash}"}
    )


handler = endpoint.handler
