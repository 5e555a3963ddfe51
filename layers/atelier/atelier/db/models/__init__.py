from atelier.db.base import Base

__all__ = ["Base"]
