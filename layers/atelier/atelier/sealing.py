"""Secrets at rest: signing secrets we must be able to read back (a shop's webhook secret,
an outbound endpoint's signing secret) are stored sealed, never in clear.

AES-256-GCM under the deployment's data key (`ATELIER_DATA_KEY`: generated at first run
locally, a generated Secrets Manager secret in AWS). The ciphertext is bound to where it
belongs (`context`: the column and the brand), so a sealed value copied into another
brand's row does not open. A database dump, a snapshot or an SQL injection yields sealed
values only. Values written before sealing existed (no prefix) are read as they are, and
`seal_legacy_secrets` seals them in place (the migration step runs it).

API keys are not here: they are only ever compared, so they are stored as hashes.
"""

from __future__ import annotations

import base64
import hashlib
import os

from sqlalchemy import Engine, text

from atelier.errors import ServiceUnavailable
from atelier.settings import get_settings

PREFIX = "sealed:v1:"
NONCE_BYTES = 12


def _key() -> bytes:
    data_key = get_settings().data_key
    if not data_key or len(data_key) < 32:
        raise ServiceUnavailable("No data key is configured (ATELIER_DATA_KEY).")
    # The data key is random (64 characters from a generator); SHA-256 maps it to AES-256.
    return hashlib.sha256(data_key.encode()).digest()


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def seal(plaintext: str, *, context: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # ~20 ms, on use only

    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key()).encrypt(nonce, plaintext.encode(), context.encode())
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def unseal(value: str, *, context: str) -> str:
    """The plaintext of a sealed value; an unsealed (legacy) value as it is."""
    if not is_sealed(value):
        return value
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = base64.b64decode(value.removeprefix(PREFIX), validate=True)
        plain = AESGCM(_key()).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except (InvalidTag, ValueError) as exc:
        # Another key, another row's value, or tampering: never fall back to anything.
        raise ServiceUnavailable("A stored secret could not be opened.") from exc
    return plain.decode()


def webhook_context(brand_id: str) -> str:
    return f"webhooks.secret:{brand_id}"


def integration_context(brand_id: str) -> str:
    return f"integrations.webhook_secret:{brand_id}"


# (table, column, context for a brand) of every sealed column.
SEALED_COLUMNS = (
    ("webhooks", "secret", webhook_context),
    ("integrations", "webhook_secret", integration_context),
)


def seal_legacy_secrets(engine: Engine) -> int:
    """Seal every value still stored in clear (as the owner: across brands). Idempotent;
    returns how many values it sealed."""
    sealed = 0
    with engine.begin() as conn:
        for table, column, context in SEALED_COLUMNS:
            rows = conn.execute(
                text(
                    f"SELECT id, brand_id, {column} AS value FROM {table} "
                    f"WHERE {column} IS NOT NULL AND {column} NOT LIKE :prefix FOR UPDATE"
                ),
                {"prefix": PREFIX + "%"},
            ).all()
            for row in rows:
                conn.execute(
                    text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                    {"value": seal(row.value, context=context(row.brand_id)), "id": row.id},
                )
                sealed += 1
    return sealed
