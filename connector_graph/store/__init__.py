"""Storage backends behind one protocol: embedded SQLite and Neo4j."""

from .base import Batch, IntroductionFilter, Store, open_store

__all__ = ["Batch", "IntroductionFilter", "Store", "open_store"]
