"""POST /api/v1/fonts — the file is parsed and checked before it is stored."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.auth.principal import Role
from atelier.catalog import fonts
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Upload a font (TTF/OTF, base64)", tags=["fonts"])
def upload_font(body: fonts.FontUpload) -> Response[fonts.FontOut]:
    principal = endpoint.principal()
    data = fonts.decode_upload(body)
    with brand_session(principal, Role.EDITOR) as session:
        row, created = fonts.register_font(
            session, bootstrap.storage(), brand_id=principal.brand_id, data=data, family=body.family
        )
        out = fonts.FontOut.of(row)
    return endpoint.json(out, status=201 if created else 200)


handler = endpoint.handler
