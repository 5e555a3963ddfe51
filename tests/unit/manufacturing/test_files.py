"""Manufacturing files opened by their own readers, and the same geometry as the preview."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import cairosvg
import ezdxf
import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader

from atelier.manufacturing.bundle import BundleContext, build_bundle, print_png
from atelier.manufacturing.vector import dxf, pdf, svg
from atelier.rendering.raster import render
from atelier.specs.canonical import parse_spec
from atelier.specs.model import DesignSpec
from tests.unit.fontfiles import font

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def design() -> tuple[DesignSpec, dict]:
    roboto, dejavu = font("Roboto"), font("DejaVuSans")

    def zone(zid: str, text: str, y: float, size: float, f, **extra) -> dict:  # type: ignore[no-untyped-def]
        return {
            "zoneId": zid,
            "geometry": {"xMm": 10, "yMm": y, "widthMm": 100, "heightMm": 16},
            "text": text,
            "lines": [text],
            "font": {"id": zid, "family": "F", "sha256": f.sha256},
            "color": "#1a1a1a",
            "sizeMm": size,
            **extra,
        }

    spec = parse_spec(
        {
            "specVersion": "1.0.0",
            "productId": "plate",
            "canvas": {"widthMm": 120, "heightMm": 60},
            "zones": [
                zone("name", "Zoé & Martin", 4, 11, roboto),
                zone("date", "12.05.2026", 22, 8, roboto, effect="arc"),
                zone(
                    "blessing",
                    "سلام שלום",
                    40,
                    8,
                    dejavu,
                    geometry={
                        "xMm": 10,
                        "yMm": 40,
                        "widthMm": 100,
                        "heightMm": 16,
                        "rotationDeg": 4,
                    },
                ),
            ],
        }
    )
    return spec, {roboto.sha256: roboto, dejavu.sha256: dejavu}


def test_svg_is_in_millimetres_with_a_group_per_zone_and_curves(design):
    spec, fonts = design
    root = ET.fromstring(svg(spec, fonts))  # noqa: S314 - our own output
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "120mm",
        "60mm",
        "0 0 120 60",
    )
    groups = {g.get("id"): g for g in root.iter(f"{SVG_NS}g")}
    assert set(groups) == {"CUT", "zone-name", "zone-date", "zone-blessing"}
    d = groups["zone-name"].find(f"{SVG_NS}path").get("d")  # type: ignore[union-attr]
    assert "Q" in d or "C" in d, "curves stay Béziers"


def test_dxf_reads_back_clean_with_layers_and_closed_outlines(design, tmp_path: Path):
    spec, fonts = design
    path = tmp_path / "design.dxf"
    path.write_bytes(dxf(spec, fonts))
    doc = ezdxf.readfile(path)
    auditor = doc.audit()
    assert not auditor.has_errors, [str(e) for e in auditor.errors]
    assert doc.units == ezdxf.units.MM
    layers = {layer.dxf.name for layer in doc.layers}
    assert {"CUT", "ZONE_name_ENGRAVE", "ZONE_date_ENGRAVE", "ZONE_blessing_ENGRAVE"} <= layers
    polylines = list(doc.modelspace().query("LWPOLYLINE"))
    assert all(p.closed for p in polylines)
    name = [p for p in polylines if p.dxf.layer == "ZONE_name_ENGRAVE"]
    # "Zoé & Martin": Z, o(2), é(3), &(3), M, a(2), r, t, i(2), n → holes are their own outlines
    assert len(name) >= 16
    xs = [x for p in polylines for x, *_ in p.get_points()]
    assert min(xs) >= 0 and max(xs) <= 120


def test_pdf_opens_with_the_products_page_size(design, tmp_path: Path):
    spec, fonts = design
    data = pdf(spec, fonts)
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert [round(float(v), 2) for v in page.mediabox] == [
        0,
        0,
        round(120 / 25.4 * 72, 2),
        round(60 / 25.4 * 72, 2),
    ]
    assert b" c\n" in data or b" c " in data, "curves, not polygons"
    qpdf = shutil.which("qpdf")
    assert qpdf, "make setup installs qpdf (Debian)"
    path = tmp_path / "design.pdf"
    path.write_bytes(data)
    check = subprocess.run(
        [qpdf, "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout


TEXT_GRAY = 26  # #1a1a1a


def ink(image: Image.Image) -> set[tuple[int, int]]:
    """Pixels at least half covered by ink: darker than halfway between the image's
    background (its most common grey) and the text colour, whatever the background."""
    gray = image.convert("L")
    histogram = gray.histogram()
    background = max(range(256), key=histogram.__getitem__)
    threshold = (background + TEXT_GRAY) / 2
    w, h = gray.size
    data = gray.load()
    return {(x, y) for y in range(h) for x in range(w) if data[x, y] < threshold}  # type: ignore[index]


def test_the_cut_file_matches_what_the_shopper_saw(design):
    """The SVG drawn by an independent renderer (cairo) and our raster preview cover the
    same ink: intersection over union of at least 0.95."""
    spec, fonts = design
    px_per_mm = 1024 / 120  # the preview's own resolution
    preview = render(spec, fonts, px_per_mm=px_per_mm)
    svg_text = svg(spec, fonts).replace(b'stroke="#ff0000"', b'stroke="none"')
    drawn = Image.open(
        io.BytesIO(
            cairosvg.svg2png(
                bytestring=svg_text,
                output_width=120 * px_per_mm,
                output_height=60 * px_per_mm,
                background_color="white",
            )
        )
    )
    a, b = ink(preview), ink(drawn)
    iou = len(a & b) / len(a | b)
    assert iou >= 0.95, iou


def test_print_png_is_300_dpi_srgb(design):
    spec, fonts = design
    image = Image.open(io.BytesIO(print_png(spec, fonts, 300)))
    assert image.size == (round(120 / 25.4 * 300), round(60 / 25.4 * 300))
    assert round(image.info["dpi"][0]) == 300
    profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
    assert "sRGB" in ImageCms.getProfileDescription(profile)


def test_bundle_is_byte_identical_and_described_by_its_manifest(design):
    spec, fonts = design
    context = BundleContext(snapshot_id="snap1", order_id="order1", work_order_id="wo1", dpi=150)
    first, manifest = build_bundle(spec, fonts, context)
    second, _ = build_bundle(spec, fonts, context)
    assert first == second, "the same snapshot always gives the same bytes"
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert (
            names
            == sorted(names)
            == ["design.dxf", "design.pdf", "design.svg", "manifest.json", "print.png"]
        )
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        stored = json.loads(archive.read("manifest.json"))
        for entry in stored["files"]:
            data = archive.read(entry["name"])
            assert (entry["size"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert stored == manifest
    assert (stored["snapshotId"], stored["orderId"], stored["workOrderId"], stored["units"]) == (
        "snap1",
        "order1",
        "wo1",
        "mm",
    )
    assert [z["zoneId"] for z in stored["zones"]] == ["blessing", "date", "name"]
    assert stored["generator"].startswith("atelier-manufacturing/")
