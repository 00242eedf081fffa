"""simqa: answers questions about SIM with verbatim, attributed quotes from five documents."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Engine", "Settings", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import simqa.safety` never loads torch (the crisis path needs no model).
    if name == "Engine":
        from simqa.engine import Engine

        return Engine
    if name == "Settings":
        from simqa.config import Settings

        return Settings
    raise AttributeError(name)
