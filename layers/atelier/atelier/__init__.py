"""Atelier: the shared domain layer of the personalization backend."""

__version__ = "0.1.0"
