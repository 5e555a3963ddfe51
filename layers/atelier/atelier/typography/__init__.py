"""Fonts, shaping and text layout in millimetres: the one layout engine behind auto-fit,
previews and manufacturing outlines."""
