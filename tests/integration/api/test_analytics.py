"""Widget analytics: batched ingestion from the widget, the funnel for the brand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


def events(session: str, *names: str) -> list[dict[str, object]]:
    now = datetime.now(UTC).isoformat()
    return [{"event": n, "sessionId": session, "occurredAt": now} for n in names]


def test_the_funnel_counts_sessions_per_step(api: Api, tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    batch = (
        events(
            "s1",
            "widget_loaded",
            "preview_requested",
            "preview_ready",
            "snapshot_created",
            "add_to_cart_clicked",
        )
        + events("s2", "widget_loaded", "preview_requested", "validation_failed")
        + events("s3", "widget_loaded", "widget_loaded")
    )
    r = api.widget(a, "POST", "/api/v1/analytics/events", json_body={"events": batch})
    assert r.status == 202 and r.json() == {"accepted": len(batch)}
    api.widget(
        b, "POST", "/api/v1/analytics/events", json_body={"events": events("b1", "widget_loaded")}
    )
    start = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    end = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    from urllib.parse import quote

    funnel = api.brand(
        a, "GET", f"/api/v1/analytics/funnel?from={quote(start)}&to={quote(end)}"
    ).json()
    steps = {s["event"]: (s["sessions"], s["rateFromStart"]) for s in funnel["steps"]}
    assert steps == {
        "widget_loaded": (3, 1.0),
        "preview_requested": (2, 0.6667),
        "preview_ready": (1, 0.3333),
        "snapshot_created": (1, 0.3333),
        "add_to_cart_clicked": (1, 0.3333),
    }


def test_implausible_or_unknown_events_are_refused(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    old = [{"event": "widget_loaded", "sessionId": "s", "occurredAt": "2001-01-01T00:00:00Z"}]
    r = api.widget(a, "POST", "/api/v1/analytics/events", json_body={"events": old})
    assert r.status == 422 and r.json()["errors"][0]["field"] == "events.0.occurredAt"
    unknown = [{"event": "hacked", "sessionId": "s", "occurredAt": datetime.now(UTC).isoformat()}]
    assert (
        api.widget(a, "POST", "/api/v1/analytics/events", json_body={"events": unknown}).status
        == 422
    )
