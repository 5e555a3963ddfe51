"""GLB and USDZ previews pass their own validators: Khronos glTF Validator and usd-core."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pxr import Usd, UsdValidation

from atelier.rendering.model3d import TEMPLATES, build_glb, mesh_for
from atelier.rendering.usdz import build_usdz

ROOT = Path(__file__).resolve().parents[3]
VALIDATOR = ROOT / "node_modules" / "gltf-validator" / "module.mjs"


@pytest.fixture(scope="module")
def texture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 128), (222, 196, 160)).save(out, "PNG")
    return out.getvalue()


def gltf_validate(path: Path) -> dict:
    assert VALIDATOR.exists(), "run `make setup` (npm ci installs gltf-validator)"
    script = (
        f"import {{ validateBytes }} from '{VALIDATOR}';"
        "import { readFileSync } from 'fs';"
        "const r = await validateBytes(new Uint8Array(readFileSync(process.argv[1])));"
        "console.log(JSON.stringify(r.issues));"
    )
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_glb_has_no_validator_errors(template: str, texture: bytes, tmp_path: Path):
    path = tmp_path / f"{template}.glb"
    path.write_bytes(build_glb(mesh_for(template, 120, 60), texture))
    issues = gltf_validate(path)
    assert issues["numErrors"] == 0, issues["messages"][:5]
    assert issues["numWarnings"] == 0, issues["messages"][:5]


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_usdz_passes_the_usdz_validators(template: str, texture: bytes, tmp_path: Path):
    path = tmp_path / f"{template}.usdz"
    path.write_bytes(build_usdz(mesh_for(template, 120, 60), texture))
    stage = Usd.Stage.Open(str(path))
    assert stage.GetDefaultPrim().GetPath() == "/Product"
    assert (stage.GetMetadata("upAxis"), stage.GetMetadata("metersPerUnit")) == ("Y", 1.0)
    registry = UsdValidation.ValidationRegistry()
    names = [
        m.name for m in registry.GetAllValidatorMetadata() if "UsdzValidators" in m.GetKeywords()
    ]
    assert len(names) >= 4
    issues = [
        str(e.GetMessage())
        for v in registry.GetOrLoadValidatorsByName(names)
        for e in v.Validate(stage)
    ]
    assert issues == []
    with zipfile.ZipFile(path) as archive:
        assert [i.compress_type for i in archive.infolist()] == [zipfile.ZIP_STORED] * 2
        assert archive.namelist()[0].endswith(".usda")


def test_cylinder_wraps_the_print_once():
    mesh = mesh_for("cylinder", 200, 90)
    xs = [p[0] for p in mesh.positions]
    radius = max(xs)
    assert abs(2 * 3.141592653589793 * radius - 0.2) < 0.2 * 0.01
    side_us = [uv[0] for uv in mesh.uvs if uv[1] in (0, 1)]
    assert min(side_us) == 0 and max(side_us) == 1
