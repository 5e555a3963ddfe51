"""GET /api/v1/health: database reachability and schema revision."""

from atelier.http.app import Endpoint
from atelier.system.health import Health, check_health

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Service health", tags=["system"])
def get_health() -> Health:
    return check_health()


handler = endpoint.handler
