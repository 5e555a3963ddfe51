"""The widget and the demo storefront in a real browser (Debian's Chromium via Playwright),
against the running local runtime. Screenshots of each state go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .test_local_runtime import ROOT, Runtime

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    if not (ROOT / "widget" / "dist" / "atelier-widget.js").exists():
        pytest.fail("build the widget first: make widget (make test does)")
    rt = Runtime(tmp_path_factory.mktemp("widget") / "var")
    yield rt
    rt.stop()


def browser(extra: list[str] | None = None) -> Iterator[Browser]:
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS + (extra or []))
        yield instance
        instance.close()


@pytest.fixture
def page(runtime: Runtime) -> Iterator[Page]:
    for instance in browser():
        yield instance.new_page()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"), full_page=True)


def first_input(page: Page):  # type: ignore[no-untyped-def]
    return page.locator(
        "atelier-personalizer fieldset input, atelier-personalizer fieldset textarea"
    ).first


def test_happy_path_preview_snapshot_and_cart(runtime: Runtime, page: Page):
    page.goto(runtime.base + "/")
    first_input(page).fill("Zoé & Martin")
    preview = page.locator("atelier-personalizer img.image")
    expect(preview).to_be_visible(timeout=30_000)
    assert preview.evaluate("img => img.naturalWidth") == 1024
    shot(page, "preview")
    page.locator("atelier-personalizer button[type=submit]").click()
    item = page.locator("#items li[data-snapshot]")
    expect(item).to_have_count(1, timeout=30_000)
    snapshot_id = item.get_attribute("data-snapshot")
    assert snapshot_id and len(snapshot_id) == 26
    expect(item).to_contain_text("_atelier_snapshot: " + snapshot_id)
    shot(page, "cart")


def test_invalid_input_shows_its_message_next_to_the_field(runtime: Runtime, page: Page):
    page.goto(runtime.base + "/")
    first_input(page).fill("Quelle merde")
    message = page.locator("atelier-personalizer .msg").first
    expect(message).to_have_text("Ce mot n'est pas autorisé.", timeout=15_000)
    assert message.get_attribute("aria-live") == "polite"
    shot(page, "invalid")


def test_without_webgl_the_2d_preview_stays(runtime: Runtime):
    for instance in browser(["--disable-webgl", "--disable-3d-apis"]):
        page = instance.new_page()
        page.goto(runtime.base + "/")
        first_input(page).fill("Sans 3D")
        fallback = page.locator("atelier-personalizer .three[data-fallback='2d']")
        expect(fallback).to_be_visible(timeout=30_000)
        expect(page.locator("atelier-personalizer img.image")).to_be_visible()
        shot(page, "no-webgl")


def test_a_right_to_left_name(runtime: Runtime, page: Page):
    page.goto(runtime.base + "/")
    # Roboto has no Arabic: the widget says so (glyph_missing); DejaVu Sans draws it.
    fonts = page.locator("atelier-personalizer fieldset select[data-k=fontId]").first
    fonts.select_option(label="DejaVu Sans")
    field = first_input(page)
    field.fill("سلام")
    assert field.evaluate("el => el.matches(':dir(rtl)')")
    expect(page.locator("atelier-personalizer img.image")).to_be_visible(timeout=30_000)
    expect(page.locator("atelier-personalizer .msg").first).to_have_text("")
    shot(page, "rtl")


def test_the_widget_module_stays_within_its_size_budget():
    import gzip

    module = (ROOT / "widget" / "dist" / "atelier-widget.js").read_bytes()
    assert len(gzip.compress(module)) <= 60 * 1024, "60 kB gzipped, without the lazy 3D viewer"
    assert b"model-viewer" in module and b"import(" in module, "the 3D viewer is loaded lazily"
