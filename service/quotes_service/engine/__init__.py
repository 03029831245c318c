"""The extraction engine and its typed results."""
from .engine import Engine
from .pipeline import DeadlineExceeded
from .types import Extraction

__all__ = ["DeadlineExceeded", "Engine", "Extraction"]
