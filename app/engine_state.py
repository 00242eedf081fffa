"""One Engine per process: loaded once (at worker start or on first use), shared read-only."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app

logger = logging.getLogger("simqa.app")

# A failed load is retried on demand, at most this often, so a broken index never becomes a
# crash loop and a repaired one is picked up without a restart.
RETRY_SECONDS = 30.0


def _load_real_engine(settings: Any) -> Any:
    from simqa.engine import Engine

    return Engine.load(settings)


class EngineState:
    """Holds the process's Engine, or why it could not be loaded.

    `status` is one of: not_loaded, loading, ready, failed.
    """

    def __init__(
        self,
        settings: Any,
        engine: Any = None,
        loader: Callable[[Any], Any] = _load_real_engine,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.settings = settings
        self._engine = engine
        self._loader = loader
        self._retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._loading = False
        self._failed_at: float | None = None
        self.error: str = ""

    @property
    def status(self) -> str:
        if self._engine is not None:
            return "ready"
        if self._loading:
            return "loading"
        if self._failed_at is not None:
            return "failed"
        return "not_loaded"

    @property
    def engine(self) -> Any:
        """The loaded engine, or None; never starts a load."""
        return self._engine

    def get(self, wait_seconds: float = 30.0) -> Any:
        """The engine, loading it in this thread if nobody has; None if it is unavailable.

        A thread that finds another thread loading waits up to `wait_seconds` for it.
        """
        if self._engine is not None:
            return self._engine
        if self._failed_at is not None and time.monotonic() - self._failed_at < self._retry_seconds:
            return None
        if not self._lock.acquire(timeout=max(wait_seconds, 0)):
            return self._engine
        try:
            if self._engine is not None:
                return self._engine
            if (
                self._failed_at is not None
                and time.monotonic() - self._failed_at < self._retry_seconds
            ):
                return None
            self._load()
            return self._engine
        finally:
            self._lock.release()

    def _load(self) -> None:
        self._loading = True
        started = time.monotonic()
        try:
            engine = self._loader(self.settings)
        except Exception as error:  # any load failure leaves the app serving the crisis path
            self._failed_at = time.monotonic()
            self.error = f"{type(error).__name__}: {error}"
            logger.exception("engine failed to load; crisis answers only until it loads")
        else:
            self._engine = engine
            self._failed_at = None
            self.error = ""
            logger.info(
                "engine ready in %.1f s (model %s, corpus %s)",
                time.monotonic() - started,
                getattr(engine, "model_name", "?"),
                getattr(engine, "corpus_version", "?"),
            )
        finally:
            self._loading = False


def engine_state() -> EngineState:
    return current_app.extensions["simqa"]


def settings() -> Any:
    return engine_state().settings


def require_engine(wait_seconds: float = 30.0, strict: bool = True) -> Any:
    """The engine; with `strict`, a JSON/HTML 503 when it is unavailable, else None."""
    engine = engine_state().get(wait_seconds=wait_seconds)
    if engine is None and strict:
        from app.errors import UNAVAILABLE, ApiError

        raise ApiError(
            503,
            "engine_unavailable",
            UNAVAILABLE,
            {"Retry-After": "30"},
        )
    return engine
