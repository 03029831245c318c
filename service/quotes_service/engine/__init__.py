"""The extraction engine and its typed results."""
from .engine import Engine
from .types import Extraction

__all__ = ["Engine", "Extraction"]
