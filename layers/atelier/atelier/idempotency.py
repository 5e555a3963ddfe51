"""Idempotency-Key support: powertools Idempotency on a PostgreSQL persistence layer.

A mutation sent with an `Idempotency-Key` header runs once per (brand, route, key): a retry
with the same body gets the first response back byte for byte (status included); the same
key with a different body is refused (422); a retry while the first is still running gets
409. Records live in `idempotency_records` and expire after a day.

The records are written in their own short autocommit transactions, separate from the
request's unit of work, because "in progress" must be visible to concurrent requests
before the work commits.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyItemAlreadyExistsError,
    IdempotencyItemNotFoundError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.base import (
    BasePersistenceLayer,
    DataRecord,
)
from sqlalchemy import Engine, text

from atelier.db.session import get_engine
from atelier.errors import IdempotencyKeyReused, RequestInProgress, ValidationFailed

RECORD_TTL_S = 24 * 3600
MAX_KEY_LENGTH = 255

_COLUMNS = (
    "idempotency_key, status, expiry_timestamp, in_progress_expiry_timestamp, "
    "response_data, payload_hash"
)


class PostgresPersistenceLayer(BasePersistenceLayer):
    """Powertools' persistence port implemented on the `idempotency_records` table."""

    def __init__(self, engine_factory: Callable[[], Engine] = get_engine) -> None:
        super().__init__()
        self._engine_factory = engine_factory

    @property
    def _engine(self) -> Engine:
        return self._engine_factory()

    @staticmethod
    def _record(row: Any) -> DataRecord:
        return DataRecord(
            idempotency_key=row.idempotency_key,
            status=row.status,
            expiry_timestamp=row.expiry_timestamp,
            in_progress_expiry_timestamp=row.in_progress_expiry_timestamp,
            response_data=row.response_data or "",
            payload_hash=row.payload_hash or "",
        )

    def _get_record(self, idempotency_key: str) -> DataRecord:
        with self._engine.connect() as conn:
            row = conn.execute(
                text(f"SELECT {_COLUMNS} FROM idempotency_records WHERE idempotency_key = :k"),
                {"k": idempotency_key},
            ).first()
        if row is None:
            raise IdempotencyItemNotFoundError
        return self._record(row)

    def _put_record(self, data_record: DataRecord) -> None:
        now_s = int(time.time())
        now_ms = int(time.time() * 1000)
        # Insert, or take over a record that expired or whose owner timed out in progress;
        # a live record wins and we report it, as the DynamoDB layer does.
        with self._engine.begin() as conn:
            taken = conn.execute(
                text(
                    f"INSERT INTO idempotency_records ({_COLUMNS}) "
                    "VALUES (:k, :status, :expiry, :in_progress, NULL, :payload) "
                    "ON CONFLICT (idempotency_key) DO UPDATE SET "
                    "status = EXCLUDED.status, expiry_timestamp = EXCLUDED.expiry_timestamp, "
                    "in_progress_expiry_timestamp = EXCLUDED.in_progress_expiry_timestamp, "
                    "response_data = NULL, payload_hash = EXCLUDED.payload_hash "
                    "WHERE idempotency_records.expiry_timestamp < :now_s OR ("
                    "  idempotency_records.status = 'INPROGRESS' AND"
                    "  idempotency_records.in_progress_expiry_timestamp < :now_ms) "
                    "RETURNING idempotency_key"
                ),
                {
                    "k": data_record.idempotency_key,
                    "status": data_record.status,
                    "expiry": data_record.expiry_timestamp,
                    "in_progress": data_record.in_progress_expiry_timestamp,
                    "payload": data_record.payload_hash or None,
                    "now_s": now_s,
                    "now_ms": now_ms,
                },
            ).first()
        if taken is not None:
            return
        try:
            existing = self._get_record(data_record.idempotency_key)
        except IdempotencyItemNotFoundError:
            raise IdempotencyItemAlreadyExistsError from None
        self._validate_payload(data_payload=data_record, stored_data_record=existing)
        raise IdempotencyItemAlreadyExistsError(old_data_record=existing)

    def _update_record(self, data_record: DataRecord) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE idempotency_records SET status = :status, response_data = :data, "
                    "expiry_timestamp = :expiry WHERE idempotency_key = :k"
                ),
                {
                    "k": data_record.idempotency_key,
                    "status": data_record.status,
                    "data": data_record.response_data,
                    "expiry": data_record.expiry_timestamp,
                },
            )

    def _delete_record(self, data_record: DataRecord) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                text("DELETE FROM idempotency_records WHERE idempotency_key = :k"),
                {"k": data_record.idempotency_key},
            )


class _NotStored(Exception):
    """Carries a response that must not be remembered (server errors can be retried)."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__("response not stored")
        self.response = response


_persistence: PostgresPersistenceLayer | None = None


def _layer() -> PostgresPersistenceLayer:
    global _persistence
    if _persistence is None:
        _persistence = PostgresPersistenceLayer()
    return _persistence


def run_idempotently(
    *,
    scope: str,
    key: str,
    body: str | None,
    run: Callable[[], dict[str, Any]],
    remaining_ms: Callable[[], int] | None = None,
) -> dict[str, Any]:
    """Run `run` (which returns a proxy response) at most once per (scope, key).

    `scope` names the tenant and the route so keys never collide across brands or endpoints.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters.",
        )
    body_hash = hashlib.sha256((body or "").encode("utf-8", "surrogatepass")).hexdigest()
    config = IdempotencyConfig(
        event_key_jmespath="[scope, key]",
        payload_validation_jmespath="body_hash",
        expires_after_seconds=RECORD_TTL_S,
        raise_on_no_idempotency_key=True,
    )

    @idempotent_function(data_keyword_argument="request", persistence_store=_layer(), config=config)
    def once(request: dict[str, str]) -> dict[str, Any]:
        response = run()
        if int(response.get("statusCode", 500)) >= 500:
            raise _NotStored(response)
        return response

    if remaining_ms is not None:
        config.register_lambda_context(_RemainingTime(remaining_ms))  # type: ignore[arg-type]
    try:
        return once(request={"scope": scope, "key": key, "body_hash": body_hash})
    except _NotStored as exc:
        return exc.response
    except IdempotencyValidationError as exc:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request body."
        ) from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise RequestInProgress(
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            headers={"Retry-After": "1"},
        ) from exc


class _RemainingTime:
    """The piece of a Lambda context powertools reads to expire in-progress records."""

    def __init__(self, remaining_ms: Callable[[], int]) -> None:
        self.get_remaining_time_in_millis = remaining_ms
