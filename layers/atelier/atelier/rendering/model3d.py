"""3D previews: binary glTF 2.0 (GLB) of the product's template, textured with the render.

Three templates cover the catalogue: a flat `plate` (the print on its front face), a
`cylinder` (mugs, tumblers: the print wraps around, its width is the circumference) and a
`disc` pendant (the print on its face). Units are metres, Y is up, the front faces +Z —
what glTF viewers and AR Quick Look expect. Faces the print does not cover sample a
bare-material corner of the texture.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field

import pygltflib

MM = 0.001
PLATE_THICKNESS_MM = 6.0
DISC_THICKNESS_MM = 3.0
SEGMENTS = 64
BARE_UV = (0.002, 0.002)  # the render's top-left corner is bare material


@dataclass
class Mesh:
    positions: list[tuple[float, float, float]] = field(default_factory=list)
    normals: list[tuple[float, float, float]] = field(default_factory=list)
    uvs: list[tuple[float, float]] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)

    def quad(
        self,
        corners: list[tuple[float, float, float]],
        normal: tuple[float, float, float],
        uvs: list[tuple[float, float]] | None = None,
    ) -> None:
        """Four corners counter-clockwise seen from outside."""
        base = len(self.positions)
        self.positions.extend(corners)
        self.normals.extend([normal] * 4)
        self.uvs.extend(uvs or [BARE_UV] * 4)
        self.indices.extend([base, base + 1, base + 2, base, base + 2, base + 3])


def plate(width_mm: float, height_mm: float) -> Mesh:
    w, h, t = width_mm * MM / 2, height_mm * MM / 2, PLATE_THICKNESS_MM * MM / 2
    m = Mesh()
    m.quad(
        [(-w, -h, t), (w, -h, t), (w, h, t), (-w, h, t)],
        (0, 0, 1),
        [(0, 1), (1, 1), (1, 0), (0, 0)],
    )
    m.quad([(w, -h, -t), (-w, -h, -t), (-w, h, -t), (w, h, -t)], (0, 0, -1))
    m.quad([(-w, h, t), (w, h, t), (w, h, -t), (-w, h, -t)], (0, 1, 0))
    m.quad([(-w, -h, -t), (w, -h, -t), (w, -h, t), (-w, -h, t)], (0, -1, 0))
    m.quad([(w, -h, t), (w, -h, -t), (w, h, -t), (w, h, t)], (1, 0, 0))
    m.quad([(-w, -h, -t), (-w, -h, t), (-w, h, t), (-w, h, -t)], (-1, 0, 0))
    return m


def cylinder(width_mm: float, height_mm: float) -> Mesh:
    """The print's width is the circumference: it wraps exactly once."""
    r, h = width_mm * MM / (2 * math.pi), height_mm * MM / 2
    m = Mesh()
    for i in range(SEGMENTS):
        a0, a1 = 2 * math.pi * i / SEGMENTS, 2 * math.pi * (i + 1) / SEGMENTS
        # angle 0 faces +Z (the viewer); the print's centre sits there
        p0 = (r * math.sin(a0 - math.pi), r * math.cos(a0 - math.pi))
        p1 = (r * math.sin(a1 - math.pi), r * math.cos(a1 - math.pi))
        n0 = (math.sin(a0 - math.pi), 0.0, math.cos(a0 - math.pi))
        n1 = (math.sin(a1 - math.pi), 0.0, math.cos(a1 - math.pi))
        base = len(m.positions)
        u0, u1 = i / SEGMENTS, (i + 1) / SEGMENTS
        m.positions.extend(
            [(p0[0], -h, p0[1]), (p1[0], -h, p1[1]), (p1[0], h, p1[1]), (p0[0], h, p0[1])]
        )
        m.normals.extend([n0, n1, n1, n0])
        m.uvs.extend([(u0, 1), (u1, 1), (u1, 0), (u0, 0)])
        m.indices.extend([base, base + 1, base + 2, base, base + 2, base + 3])
    _cap(m, r, h, up=True)
    _cap(m, r, -h, up=False)
    return m


def _cap(m: Mesh, r: float, y: float, *, up: bool) -> None:
    centre = len(m.positions)
    normal = (0.0, 1.0 if up else -1.0, 0.0)
    m.positions.append((0.0, y, 0.0))
    m.normals.append(normal)
    m.uvs.append(BARE_UV)
    for i in range(SEGMENTS + 1):
        a = 2 * math.pi * i / SEGMENTS
        m.positions.append((r * math.cos(a), y, r * math.sin(a)))
        m.normals.append(normal)
        m.uvs.append(BARE_UV)
    for i in range(SEGMENTS):
        a, b = centre + 1 + i, centre + 2 + i
        m.indices.extend([centre, b, a] if up else [centre, a, b])


def disc(width_mm: float, height_mm: float) -> Mesh:
    """A round pendant: the print's square centre maps onto the face."""
    r, t = min(width_mm, height_mm) * MM / 2, DISC_THICKNESS_MM * MM / 2
    m = Mesh()
    aspect_u = min(width_mm, height_mm) / width_mm
    aspect_v = min(width_mm, height_mm) / height_mm
    for z, sign in ((t, 1.0), (-t, -1.0)):
        centre = len(m.positions)
        m.positions.append((0.0, 0.0, z))
        m.normals.append((0.0, 0.0, sign))
        m.uvs.append((0.5, 0.5) if sign > 0 else BARE_UV)
        for i in range(SEGMENTS + 1):
            a = 2 * math.pi * i / SEGMENTS
            x, y = r * math.cos(a), r * math.sin(a)
            m.positions.append((x, y, z))
            m.normals.append((0.0, 0.0, sign))
            m.uvs.append(
                (0.5 + math.cos(a) * aspect_u / 2, 0.5 - math.sin(a) * aspect_v / 2)
                if sign > 0
                else BARE_UV
            )
        for i in range(SEGMENTS):
            a, b = centre + 1 + i, centre + 2 + i
            m.indices.extend([centre, a, b] if sign > 0 else [centre, b, a])
    for i in range(SEGMENTS):
        a0, a1 = 2 * math.pi * i / SEGMENTS, 2 * math.pi * (i + 1) / SEGMENTS
        c0, c1 = (math.cos(a0), math.sin(a0)), (math.cos(a1), math.sin(a1))
        base = len(m.positions)
        m.positions.extend(
            [
                (r * c0[0], r * c0[1], -t),
                (r * c1[0], r * c1[1], -t),
                (r * c1[0], r * c1[1], t),
                (r * c0[0], r * c0[1], t),
            ]
        )
        m.normals.extend(
            [(c0[0], c0[1], 0.0), (c1[0], c1[1], 0.0), (c1[0], c1[1], 0.0), (c0[0], c0[1], 0.0)]
        )
        m.uvs.extend([BARE_UV] * 4)
        m.indices.extend([base, base + 1, base + 2, base, base + 2, base + 3])
    return m


TEMPLATES = {"plate": plate, "cylinder": cylinder, "disc": disc}


def mesh_for(template: str | None, width_mm: float, height_mm: float) -> Mesh:
    return TEMPLATES.get(template or "plate", plate)(width_mm, height_mm)


def _pad(data: bytes) -> bytes:
    return data + b"\x00" * (-len(data) % 4)


def build_glb(mesh: Mesh, texture_png: bytes, *, name: str = "atelier") -> bytes:
    """A self-contained GLB: geometry, normals, UVs and the PNG texture in one buffer."""
    positions = b"".join(struct.pack("<3f", *p) for p in mesh.positions)
    normals = b"".join(struct.pack("<3f", *n) for n in mesh.normals)
    uvs = b"".join(struct.pack("<2f", *uv) for uv in mesh.uvs)
    index_format, index_type = (
        ("<H", pygltflib.UNSIGNED_SHORT)
        if len(mesh.positions) < 65536
        else ("<I", pygltflib.UNSIGNED_INT)
    )
    indices = b"".join(struct.pack(index_format, i) for i in mesh.indices)
    chunks = [_pad(positions), _pad(normals), _pad(uvs), _pad(indices), _pad(texture_png)]
    offsets, total = [], 0
    for chunk in chunks:
        offsets.append(total)
        total += len(chunk)
    lengths = [len(positions), len(normals), len(uvs), len(indices), len(texture_png)]
    xs, ys, zs = zip(*mesh.positions, strict=True)
    gltf = pygltflib.GLTF2(
        asset=pygltflib.Asset(version="2.0", generator="atelier"),
        scene=0,
        scenes=[pygltflib.Scene(nodes=[0])],
        nodes=[pygltflib.Node(mesh=0, name=name)],
        meshes=[
            pygltflib.Mesh(
                name=name,
                primitives=[
                    pygltflib.Primitive(
                        attributes=pygltflib.Attributes(POSITION=0, NORMAL=1, TEXCOORD_0=2),
                        indices=3,
                        material=0,
                    )
                ],
            )
        ],
        materials=[
            pygltflib.Material(
                name="print",
                pbrMetallicRoughness=pygltflib.PbrMetallicRoughness(
                    baseColorTexture=pygltflib.TextureInfo(index=0),
                    metallicFactor=0.0,
                    roughnessFactor=0.8,
                ),
            )
        ],
        textures=[pygltflib.Texture(source=0, sampler=0)],
        samplers=[
            pygltflib.Sampler(
                magFilter=pygltflib.LINEAR,
                minFilter=pygltflib.LINEAR_MIPMAP_LINEAR,
                wrapS=pygltflib.CLAMP_TO_EDGE,
                wrapT=pygltflib.CLAMP_TO_EDGE,
            )
        ],
        images=[pygltflib.Image(bufferView=4, mimeType="image/png")],
        buffers=[pygltflib.Buffer(byteLength=total)],
        bufferViews=[
            pygltflib.BufferView(
                buffer=0,
                byteOffset=offsets[0],
                byteLength=lengths[0],
                target=pygltflib.ARRAY_BUFFER,
            ),
            pygltflib.BufferView(
                buffer=0,
                byteOffset=offsets[1],
                byteLength=lengths[1],
                target=pygltflib.ARRAY_BUFFER,
            ),
            pygltflib.BufferView(
                buffer=0,
                byteOffset=offsets[2],
                byteLength=lengths[2],
                target=pygltflib.ARRAY_BUFFER,
            ),
            pygltflib.BufferView(
                buffer=0,
                byteOffset=offsets[3],
                byteLength=lengths[3],
                target=pygltflib.ELEMENT_ARRAY_BUFFER,
            ),
            pygltflib.BufferView(buffer=0, byteOffset=offsets[4], byteLength=lengths[4]),
        ],
        accessors=[
            pygltflib.Accessor(
                bufferView=0,
                componentType=pygltflib.FLOAT,
                count=len(mesh.positions),
                type=pygltflib.VEC3,
                min=[min(xs), min(ys), min(zs)],
                max=[max(xs), max(ys), max(zs)],
            ),
            pygltflib.Accessor(
                bufferView=1,
                componentType=pygltflib.FLOAT,
                count=len(mesh.normals),
                type=pygltflib.VEC3,
            ),
            pygltflib.Accessor(
                bufferView=2,
                componentType=pygltflib.FLOAT,
                count=len(mesh.uvs),
                type=pygltflib.VEC2,
            ),
            pygltflib.Accessor(
                bufferView=3,
                componentType=index_type,
                count=len(mesh.indices),
                type=pygltflib.SCALAR,
            ),
        ],
    )
    gltf.set_binary_blob(b"".join(chunks))
    return b"".join(gltf.save_to_bytes())
