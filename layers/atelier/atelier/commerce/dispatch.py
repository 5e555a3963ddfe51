"""What an inbound event or a state change queues once its transaction has committed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from atelier import bootstrap
from atelier.notifications.service import EMAIL_QUEUE
from atelier.notifications.webhooks import WEBHOOK_QUEUE
from atelier.rendering.jobs import RenderTicket, enqueue


def dispatch(
    jobs: Iterable[RenderTicket] = (),
    emails: Iterable[dict[str, Any] | None] = (),
    webhooks: Iterable[dict[str, Any]] = (),
) -> None:
    queue = bootstrap.queue()
    for job in jobs:
        enqueue(queue, job)
    for message in emails:
        if message is not None:
            queue.send(EMAIL_QUEUE, message)
    for delivery in webhooks:
        queue.send(WEBHOOK_QUEUE, delivery)
