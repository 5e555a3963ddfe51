"""Object storage: S3 in AWS, a folder on disk locally; both hand out expiring URLs.

Keys are chosen by the callers, content-addressed where the content is immutable
(`fonts/<brand>/<sha256>.ttf`, `renders/<hash>.png`), so an object never changes once
written and can be cached forever.
"""

from __future__ import annotations

import hashlib
import hmac
import mimetypes
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlencode

IMMUTABLE_CACHE = "public, max-age=31536000, immutable"


class ObjectNotFound(Exception):
    pass


def check_key(key: str) -> str:
    """Keys are relative POSIX paths without `..`, so they can never escape a folder."""
    path = PurePosixPath(key)
    if not key or path.is_absolute() or any(p in ("..", ".", "") for p in key.split("/")):
        raise ValueError(f"invalid storage key: {key!r}")
    return key


class ObjectStorage(ABC):
    """The storage port."""

    @abstractmethod
    def put(self, key: str, data: bytes, content_type: str, *, immutable: bool = True) -> None:
        """Store `data` under `key` (overwriting is allowed but immutable keys never need it)."""

    @abstractmethod
    def get(self, key: str) -> bytes:
        """The object's bytes; `ObjectNotFound` when absent."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def keys(self, prefix: str = "") -> Iterator[str]: ...

    @abstractmethod
    def objects(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        """(key, last modified) of every object under `prefix`."""

    @abstractmethod
    def signed_url(self, key: str, expires_in_s: int = 900) -> str:
        """A URL anyone holding it can GET until it expires."""


class LocalStorage(ObjectStorage):
    """A folder; URLs point at the local runtime's `/files/` path and carry an HMAC."""

    def __init__(self, root: Path, signing_key: str, base_url: str) -> None:
        self.root = root.resolve()
        self._key = signing_key.encode()
        self.base_url = base_url.rstrip("/")

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str, *, immutable: bool = True) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: readers never see half an object

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = "") -> Iterator[str]:
        if not self.root.exists():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield key

    def objects(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        for key in self.keys(prefix):
            mtime = (self.root / key).stat().st_mtime
            yield key, datetime.fromtimestamp(mtime, UTC)

    def _signature(self, key: str, expires: int) -> str:
        return hmac.new(self._key, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def signed_url(self, key: str, expires_in_s: int = 900) -> str:
        # Expiry rounded up to the hour: the same object gets the same URL for an hour, so
        # responses embedding it keep their ETag and caches keep working.
        expires = -(-(int(time.time()) + expires_in_s) // 3600) * 3600
        query = urlencode({"expires": expires, "sig": self._signature(check_key(key), expires)})
        return f"{self.base_url}/files/{quote(key)}?{query}"

    def verify(self, key: str, expires: str, signature: str) -> bool:
        """Check a URL this storage signed: untampered and not expired."""
        try:
            deadline = int(expires)
            check_key(key)
        except ValueError:
            return False
        good = hmac.compare_digest(self._signature(key, deadline), signature)
        return good and deadline >= time.time()

    @staticmethod
    def content_type(key: str) -> str:
        return mimetypes.guess_type(key)[0] or "application/octet-stream"


# Content-addressed renders and product images (the brand's own product photos and their
# web variants): their keys carry SHA-256 digests (unguessable, never changing), so a CDN
# may serve them publicly and cache them for a year. Fonts and bundles stay presigned.
PUBLIC_PREFIXES = ("renders/", "products/")


class S3Storage(ObjectStorage):
    """S3; with `public_base_url` (the CloudFront distribution), objects under
    `PUBLIC_PREFIXES` get stable CDN URLs instead of expiring presigned ones."""

    def __init__(
        self, bucket: str, client: Any | None = None, *, public_base_url: str | None = None
    ) -> None:
        self.bucket = bucket
        self._client = client
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # deferred: ~150 ms, only for functions that touch storage

            self._client = boto3.client("s3")
        return self._client

    def put(self, key: str, data: bytes, content_type: str, *, immutable: bool = True) -> None:
        extra = {"CacheControl": IMMUTABLE_CACHE} if immutable else {}
        self.client.put_object(
            Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type, **extra
        )

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except self.client.exceptions.NoSuchKey as exc:
            raise ObjectNotFound(key) from exc
        return bytes(response["Body"].read())

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except Exception as exc:
            if getattr(exc, "response", {}).get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        for key, _ in self.objects(prefix):
            yield key

    def objects(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"], item["LastModified"]

    def signed_url(self, key: str, expires_in_s: int = 900) -> str:
        if self.public_base_url and check_key(key).startswith(PUBLIC_PREFIXES):
            return f"{self.public_base_url}/{quote(key)}"
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": check_key(key)},
                ExpiresIn=expires_in_s,
            )
        )
