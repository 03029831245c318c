"""The extraction engine and its typed results."""
from .engine import Engine
from .interrupts import Cancelled, DeadlineExceeded
from .types import Extraction

__all__ = ["Cancelled", "DeadlineExceeded", "Engine", "Extraction"]
