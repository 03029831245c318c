"""The extraction engine and its typed results."""
from .engine import DeadlineExceeded, Engine
from .types import Extraction

__all__ = ["DeadlineExceeded", "Engine", "Extraction"]
