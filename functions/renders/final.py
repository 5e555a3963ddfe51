"""POST /api/v1/renders/final — print resolution (the product's DPI by default)."""

from atelier.http.render_endpoint import render_endpoint
from atelier.rendering.jobs import RenderKind

endpoint = render_endpoint(__name__, RenderKind.FINAL, "Render a snapshot at print resolution")
handler = endpoint.handler
