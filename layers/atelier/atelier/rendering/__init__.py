"""Renders of snapshots: raster previews and finals (workers only: imports Pillow)."""
