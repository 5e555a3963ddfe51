"""Manufacturing files: vector outlines (SVG, DXF, PDF), print PNG, the ZIP bundle."""
