"""The local storage adapter: atomic writes, no path escapes, signed expiring URLs."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from atelier.adapters.storage import LocalStorage, ObjectNotFound


@pytest.fixture
def store(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "objects", "test-signing-key", "http://127.0.0.1:8000")


def test_put_get_exists_delete_and_list(store: LocalStorage):
    store.put("fonts/b1/abc.ttf", b"font bytes", "font/ttf")
    store.put("renders/r1.png", b"png", "image/png")
    assert store.get("fonts/b1/abc.ttf") == b"font bytes"
    assert store.exists("renders/r1.png")
    assert list(store.keys("fonts/")) == ["fonts/b1/abc.ttf"]
    store.delete("renders/r1.png")
    assert not store.exists("renders/r1.png")
    with pytest.raises(ObjectNotFound):
        store.get("renders/r1.png")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a//b", "a/./b", ""])
def test_keys_cannot_escape_the_folder(store: LocalStorage, key: str):
    with pytest.raises(ValueError):
        store.put(key, b"x", "text/plain")


def _parts(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return unquote(parts.path.removeprefix("/files/")), query["expires"], query["sig"]


def test_signed_urls_verify_until_they_expire(store: LocalStorage):
    key, expires, sig = _parts(store.signed_url("renders/r1.png", expires_in_s=60))
    assert key == "renders/r1.png"
    assert store.verify(key, expires, sig)
    assert not store.verify("renders/r2.png", expires, sig), "signature is bound to the key"
    assert not store.verify(key, str(int(expires) + 1), sig), "and to the expiry"
    past = int(time.time()) - 1
    assert not store.verify(key, str(past), store._signature(key, past)), "expired links fail"


def test_urls_are_stable_within_the_hour_so_responses_stay_cacheable(store: LocalStorage):
    a, b = store.signed_url("fonts/x.ttf", 7200), store.signed_url("fonts/x.ttf", 7200)
    assert a == b
    assert int(_parts(a)[1]) % 3600 == 0 and int(_parts(a)[1]) >= time.time() + 7200


def test_another_signing_key_does_not_verify(store: LocalStorage, tmp_path: Path):
    other = LocalStorage(tmp_path / "objects", "another-key", "http://127.0.0.1:8000")
    key, expires, sig = _parts(store.signed_url("renders/r1.png"))
    assert not other.verify(key, expires, sig)
