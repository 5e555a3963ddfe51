"""USDZ for AR Quick Look: the same mesh and texture as the GLB, as a USD layer.

Written directly (the usd-core library is far too large for a Lambda layer; tests open
our files with it). The package is an uncompressed zip whose first entry is the layer and
whose every file starts on a 64-byte boundary, as the USDZ specification requires;
metres, Y up, one default prim.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence

from atelier.rendering.model3d import Mesh

_ALIGNMENT = 64
_PAD_FIELD = 0x1986  # the extra-field id Pixar's own packager uses for padding


def _floats(values: Sequence[tuple[float, ...]]) -> str:
    return ", ".join("(" + ", ".join(f"{v:.6g}" for v in vec) + ")" for vec in values)


def usda(mesh: Mesh, *, texture: str = "texture.png", name: str = "Product") -> str:
    counts = ", ".join("3" for _ in range(len(mesh.indices) // 3))
    indices = ", ".join(str(i) for i in mesh.indices)
    # glTF's texture origin is top-left, USD's bottom-left.
    st = [(u, 1.0 - v) for u, v in mesh.uvs]
    low = tuple(min(p[i] for p in mesh.positions) for i in range(3))
    high = tuple(max(p[i] for p in mesh.positions) for i in range(3))
    return f'''#usda 1.0
(
    defaultPrim = "{name}"
    metersPerUnit = 1
    upAxis = "Y"
)

def Xform "{name}" (
    kind = "component"
)
{{
    def Mesh "Body" (
        prepend apiSchemas = ["MaterialBindingAPI"]
    )
    {{
        float3[] extent = [{_floats([low, high])}]
        int[] faceVertexCounts = [{counts}]
        int[] faceVertexIndices = [{indices}]
        point3f[] points = [{_floats(mesh.positions)}]
        normal3f[] normals = [{_floats(mesh.normals)}] (
            interpolation = "vertex"
        )
        texCoord2f[] primvars:st = [{_floats(st)}] (
            interpolation = "vertex"
        )
        uniform token subdivisionScheme = "none"
        rel material:binding = </{name}/Print>
    }}

    def Material "Print"
    {{
        token outputs:surface.connect = </{name}/Print/Surface.outputs:surface>

        def Shader "Surface"
        {{
            uniform token info:id = "UsdPreviewSurface"
            color3f inputs:diffuseColor.connect = </{name}/Print/Texture.outputs:rgb>
            float inputs:metallic = 0
            float inputs:roughness = 0.8
            token outputs:surface
        }}

        def Shader "Texture"
        {{
            uniform token info:id = "UsdUVTexture"
            asset inputs:file = @{texture}@
            float2 inputs:st.connect = </{name}/Print/St.outputs:result>
            token inputs:wrapS = "clamp"
            token inputs:wrapT = "clamp"
            float3 outputs:rgb
        }}

        def Shader "St"
        {{
            uniform token info:id = "UsdPrimvarReader_float2"
            string inputs:varname = "st"
            float2 outputs:result
        }}
    }}
}}
'''


def package(files: list[tuple[str, bytes]]) -> bytes:
    """An uncompressed zip with every file's data aligned to 64 bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            data_start = buf.tell() + 30 + len(name.encode()) + 4
            padding = -data_start % _ALIGNMENT
            info.extra = struct.pack("<HH", _PAD_FIELD, padding) + b"\x00" * padding
            archive.writestr(info, data)
    return buf.getvalue()


def build_usdz(mesh: Mesh, texture_png: bytes) -> bytes:
    return package([("model.usda", usda(mesh).encode()), ("texture.png", texture_png)])
