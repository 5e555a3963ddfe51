"""POST /api/v1/renders/preview — a 2D preview (plus GLB and USDZ) of a snapshot."""

from atelier.http.render_endpoint import render_endpoint
from atelier.rendering.jobs import RenderKind

endpoint = render_endpoint(__name__, RenderKind.PREVIEW, "Render a 2D preview of a snapshot")
handler = endpoint.handler
