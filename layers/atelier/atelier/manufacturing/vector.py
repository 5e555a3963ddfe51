"""SVG, DXF and PDF from the glyph outlines the preview is drawn from.

Coordinates are millimetres from the product's top-left corner (y down) in SVG; DXF and
PDF have y up, so they flip. Every zone is its own group or layer; the product's outline
is the CUT operation, the text ENGRAVE.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from typing import Any

from atelier.specs.model import DesignSpec, TextZone
from atelier.typography.fonts import LoadedFont
from atelier.typography.outlines import Command, flatten
from atelier.typography.placement import zone_glyph_paths

DXF_TOLERANCE_MM = 0.005  # flattening error, well inside the 0.01 mm promised
CUT_LAYER = "CUT"


def operation(zone: TextZone) -> str:
    return "ENGRAVE"


def layer_name(zone: TextZone) -> str:
    return f"ZONE_{zone.zone_id}_{operation(zone)}"


def _fmt(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def zone_paths(
    spec: DesignSpec, fonts: Mapping[str, LoadedFont]
) -> list[tuple[TextZone, list[list[Command]]]]:
    return [(zone, zone_glyph_paths(zone, fonts[zone.font.sha256])) for zone in spec.zones]


def svg(spec: DesignSpec, fonts: Mapping[str, LoadedFont]) -> bytes:
    w, h = _fmt(spec.canvas.width_mm), _fmt(spec.canvas.height_mm)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">',
        f'  <g id="{CUT_LAYER}" data-operation="cut" fill="none" '
        'stroke="#ff0000" stroke-width="0.1">',
        f'    <rect x="0" y="0" width="{w}" height="{h}"/>',
        "  </g>",
    ]
    for zone, paths in zone_paths(spec, fonts):
        d = " ".join(
            op + " ".join(_fmt(c) for c in coords) for path in paths for op, coords in path
        )
        out.append(
            f'  <g id="zone-{zone.zone_id}" data-operation="{operation(zone).lower()}" '
            f'fill="{zone.color}" fill-rule="nonzero">'
        )
        out.append(f'    <path d="{d}"/>')
        out.append("  </g>")
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")


def dxf(spec: DesignSpec, fonts: Mapping[str, LoadedFont]) -> bytes:
    import ezdxf  # workers only: ~0.5 s to import
    from ezdxf import units

    fixed = ezdxf.options.write_fixed_meta_data_for_testing
    ezdxf.options.write_fixed_meta_data_for_testing = True  # no "created/written at" stamps
    try:
        return _dxf(ezdxf, units, spec, fonts)
    finally:
        ezdxf.options.write_fixed_meta_data_for_testing = fixed


def _dxf(ezdxf: Any, units: Any, spec: DesignSpec, fonts: Mapping[str, LoadedFont]) -> bytes:
    doc = ezdxf.new("R2010", setup=False)
    doc.units = units.MM
    doc.header["$MEASUREMENT"] = 1
    # No timestamps, no random GUIDs: the same spec gives the same bytes. The GUIDs are
    # derived from the design so files of different designs still differ.
    digest = hashlib.sha256(spec.model_dump_json(by_alias=True).encode()).hexdigest().upper()
    guid = f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}}}"
    doc.header["$FINGERPRINTGUID"] = guid
    doc.header["$VERSIONGUID"] = guid
    doc.header["$TDCREATE"] = 2451545.0
    doc.header["$TDUPDATE"] = 2451545.0
    msp = doc.modelspace()
    height = spec.canvas.height_mm
    doc.layers.add(CUT_LAYER, color=1)
    w = spec.canvas.width_mm
    msp.add_lwpolyline(
        [(0, 0), (w, 0), (w, height), (0, height)], close=True, dxfattribs={"layer": CUT_LAYER}
    )
    for zone, paths in zone_paths(spec, fonts):
        name = layer_name(zone)
        doc.layers.add(name, color=7)
        for path in paths:
            for contour in flatten(path, DXF_TOLERANCE_MM):
                points = [(x, height - y) for x, y in contour]
                if points[0] == points[-1]:
                    points.pop()
                if len(points) >= 3:
                    msp.add_lwpolyline(points, close=True, dxfattribs={"layer": name})
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode("utf-8")


def pdf(spec: DesignSpec, fonts: Mapping[str, LoadedFont]) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as pdf_canvas

    w, h = spec.canvas.width_mm, spec.canvas.height_mm
    buf = io.BytesIO()
    # invariant=1: no creation date or random id, so the same spec gives the same bytes.
    page = pdf_canvas.Canvas(buf, pagesize=(w * mm, h * mm), invariant=1, pageCompression=0)
    page.setTitle(f"Atelier {spec.product_id}")
    page.setLineWidth(0.1 * mm)
    page.setStrokeColorRGB(1, 0, 0)
    page.rect(0, 0, w * mm, h * mm, stroke=1, fill=0)

    def pt(x: float, y: float) -> tuple[float, float]:
        return x * mm, (h - y) * mm

    for zone, paths in zone_paths(spec, fonts):
        page.setFillColor(zone.color)
        outline = page.beginPath()
        for path in paths:
            current = (0.0, 0.0)
            for op, c in path:
                if op == "M":
                    outline.moveTo(*pt(c[0], c[1]))
                    current = (c[0], c[1])
                elif op == "L":
                    outline.lineTo(*pt(c[0], c[1]))
                    current = (c[0], c[1])
                elif op == "Q":  # PDF has cubic curves only: raise the quadratic exactly
                    c1 = (
                        current[0] + 2 / 3 * (c[0] - current[0]),
                        current[1] + 2 / 3 * (c[1] - current[1]),
                    )
                    c2 = (c[2] + 2 / 3 * (c[0] - c[2]), c[3] + 2 / 3 * (c[1] - c[3]))
                    outline.curveTo(*pt(*c1), *pt(*c2), *pt(c[2], c[3]))
                    current = (c[2], c[3])
                elif op == "C":
                    outline.curveTo(*pt(c[0], c[1]), *pt(c[2], c[3]), *pt(c[4], c[5]))
                    current = (c[4], c[5])
                elif op == "Z":
                    outline.close()
        page.drawPath(outline, stroke=0, fill=1, fillMode=1)  # non-zero winding, like the fonts
    page.showPage()
    page.save()
    return buf.getvalue()
