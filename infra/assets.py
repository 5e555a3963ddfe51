"""Deployment packages built without Docker.

Lambda wants layer code under `python/` and function handlers importable from the package
root, so the build copies the sources into that shape under `build/` (git-ignored).
Third-party dependency layers are installed by pip for the Lambda platform
(manylinux wheels only); with bundling off (tests, quick synths) they are empty
placeholders so synthesis stays fast and offline.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "lambda"
PYTHON_VERSION = "3.14"
# Lambda's Python 3.14 runs on Amazon Linux 2023 (glibc 2.34): manylinux_2_28 wheels work,
# and some packages (Pillow 13) ship only those.
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux2014_x86_64")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".pytest_cache")


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def functions_code() -> Path:
    """A folder whose root holds the `functions` package (the handlers)."""
    out = _fresh(BUILD / "functions")
    shutil.copytree(ROOT / "functions", out / "functions", ignore=_IGNORE)
    return out


def widget_dist(*, required: bool) -> Path:
    """The widget's build (`make widget`); a placeholder for quick synths without it."""
    dist = ROOT / "widget" / "dist"
    if (dist / "atelier-widget.js").is_file():
        return dist
    if required:
        raise FileNotFoundError("widget/dist is missing: run `make widget` before deploying.")
    out = BUILD / "widget-placeholder"
    (out / "chunks").mkdir(parents=True, exist_ok=True)
    (out / "atelier-widget.js").write_text("// synthesized without a widget build\n")
    return out


def domain_layer() -> Path:
    """The `atelier` package as a layer (`python/atelier`)."""
    out = _fresh(BUILD / "layer-atelier")
    shutil.copytree(
        ROOT / "layers" / "atelier" / "atelier", out / "python" / "atelier", ignore=_IGNORE
    )
    return out


# The Lambda runtime ships the AWS SDK; bundling it again would only eat the 250 MB budget.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer")


def _prune(site: Path, names: set[str]) -> None:
    """Remove top-level packages (and their dist-info) named in `names`."""
    for entry in site.iterdir():
        project = (
            entry.name.split("-")[0].lower() if entry.name.endswith(".dist-info") else entry.name
        )
        if project.lower() in names:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def dependency_layer(
    name: str, requirements: Path, *, bundle: bool, provided_by: tuple[Path, ...] = ()
) -> Path:
    """Third-party wheels for the Lambda platform, cached by the requirements' hash.

    Packages already in `provided_by` layers (or in the runtime) are dropped: functions
    load every layer they use, and duplicates only count against Lambda's size limit."""
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    if not bundle:
        out = BUILD / f"layer-{name}-placeholder"
        (out / "python").mkdir(parents=True, exist_ok=True)
        (out / "python" / "BUNDLING_SKIPPED").write_text(
            f"synthesized with bundling off; run `cdk synth` to install {requirements.name}\n"
        )
        return out
    out = BUILD / f"layer-{name}-{digest}"
    if (out / "python").is_dir() and (out / ".complete").exists():
        return out
    _fresh(out)
    subprocess.run(  # noqa: S603 - fixed arguments, our own requirements file
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",
            *(arg for platform in PLATFORMS for arg in ("--platform", platform)),
            "--implementation",
            "cp",
            "--python-version",
            PYTHON_VERSION,
            "--only-binary=:all:",
            "--target",
            str(out / "python"),
            "-r",
            str(requirements),
        ],
        check=True,
    )
    present = {p.name.lower() for layer in provided_by for p in (layer / "python").iterdir()}
    _prune(out / "python", present | set(RUNTIME_PROVIDED))
    (out / ".complete").write_text(digest)
    return out
