"""The S3 adapter against moto (S3 cannot run locally): same port, same behaviour."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto import mock_aws

from atelier.adapters.storage import IMMUTABLE_CACHE, ObjectNotFound, S3Storage


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Storage]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(
            Bucket="atelier-test", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        yield S3Storage("atelier-test", client=client)


def test_put_get_list_delete(store: S3Storage):
    store.put("renders/abc.png", b"png-bytes", "image/png")
    store.put("renders/def.png", b"other", "image/png", immutable=False)
    assert store.get("renders/abc.png") == b"png-bytes"
    assert store.exists("renders/abc.png") and not store.exists("renders/nope.png")
    assert sorted(store.keys("renders/")) == ["renders/abc.png", "renders/def.png"]
    head = store.client.head_object(Bucket="atelier-test", Key="renders/abc.png")
    assert head["ContentType"] == "image/png" and head["CacheControl"] == IMMUTABLE_CACHE
    store.delete("renders/abc.png")
    with pytest.raises(ObjectNotFound):
        store.get("renders/abc.png")


def test_presigned_urls_expire(store: S3Storage):
    store.put("bundles/o1.zip", b"zip", "application/zip")
    url = store.signed_url("bundles/o1.zip", expires_in_s=600)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.path.endswith("/bundles/o1.zip")
    assert query.get("X-Amz-Expires") == ["600"] or query.get("Expires")


def test_keys_cannot_escape(store: S3Storage):
    with pytest.raises(ValueError):
        store.put("../x", b"", "text/plain")


def test_renders_get_stable_cdn_urls_and_everything_else_presigned(store: S3Storage):
    cdn = S3Storage(store.bucket, client=store.client, public_base_url="https://d1.cloudfront.net/")
    assert cdn.signed_url("renders/abc.png") == "https://d1.cloudfront.net/renders/abc.png"
    assert cdn.signed_url("products/b1/ab12/w640.webp") == (
        "https://d1.cloudfront.net/products/b1/ab12/w640.webp"
    )
    assert _signed(urlsplit(cdn.signed_url("fonts/b1/ab12.ttf")).query)
    private = urlsplit(cdn.signed_url("bundles/order-1.zip", expires_in_s=60))
    assert private.netloc != "d1.cloudfront.net"
    assert _signed(private.query)
    # Without a CDN, renders are presigned too.
    assert _signed(urlsplit(store.signed_url("renders/abc.png")).query)
    with pytest.raises(ValueError):
        cdn.signed_url("renders/../bundles/x.zip")


def _signed(query: str) -> bool:
    return bool({"X-Amz-Signature", "Signature"} & set(parse_qs(query)))
