"""Stored signing secrets are sealed: AES-256-GCM under the data key, bound to their place."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from atelier import sealing
from atelier.errors import ServiceUnavailable
from atelier.settings import get_settings

KEY = "k" * 20 + "-random-enough-data-key-0123456789"


@pytest.fixture(autouse=True)
def data_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ATELIER_DATA_KEY", KEY)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_sealed_secret_opens_in_its_place_only():
    context = sealing.webhook_context("brand_a")
    stored = sealing.seal("whsec_abc", context=context)
    assert sealing.is_sealed(stored) and "whsec_abc" not in stored
    assert sealing.unseal(stored, context=context) == "whsec_abc"
    with pytest.raises(ServiceUnavailable):
        sealing.unseal(stored, context=sealing.webhook_context("brand_b"))  # moved rows
    with pytest.raises(ServiceUnavailable):
        sealing.unseal(stored, context=sealing.integration_context("brand_a"))  # moved columns


def test_every_seal_is_different_and_tampering_is_detected():
    context = sealing.integration_context("b")
    first, second = (sealing.seal("shpss_x", context=context) for _ in range(2))
    assert first != second  # a fresh nonce each time
    tampered = first[:-4] + ("AAAA" if not first.endswith("AAAA") else "BBBB")
    with pytest.raises(ServiceUnavailable):
        sealing.unseal(tampered, context=context)
    with pytest.raises(ServiceUnavailable):
        sealing.unseal(sealing.PREFIX + "not base64!", context=context)


def test_another_key_cannot_open_it(monkeypatch: pytest.MonkeyPatch):
    stored = sealing.seal("whsec_abc", context="c")
    monkeypatch.setenv("ATELIER_DATA_KEY", "z" * 40)
    get_settings.cache_clear()
    with pytest.raises(ServiceUnavailable) as caught:
        sealing.unseal(stored, context="c")
    assert "whsec_abc" not in str(caught.value)


def test_values_from_before_sealing_read_as_they_are():
    assert sealing.unseal("shpss_legacy", context="anything") == "shpss_legacy"


@pytest.mark.parametrize("key", [None, "short"])
def test_no_usable_key_refuses_to_seal(monkeypatch: pytest.MonkeyPatch, key: str | None):
    if key is None:
        monkeypatch.delenv("ATELIER_DATA_KEY")
    else:
        monkeypatch.setenv("ATELIER_DATA_KEY", key)
    get_settings.cache_clear()
    with pytest.raises(ServiceUnavailable, match="data key"):
        sealing.seal("x", context="c")
