"""The simqa web app: JSON API, chat page and source viewer on top of simqa.engine."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app import limits, logging_setup
from app.engine_state import EngineState

# App settings (Flask config keys). Each can be set as SIMQA_<KEY>, e.g. SIMQA_MAX_CONTENT_LENGTH.
# Engine settings (corpus, index, model, limits) come from simqa.config.Settings.from_env().
DEFAULTS: dict[str, Any] = {
    # Largest request body accepted, in bytes (413 past it).
    "MAX_CONTENT_LENGTH": 16 * 1024,
    # Longest a request waits for another thread that is loading the engine, in seconds.
    "ENGINE_WAIT_SECONDS": 30.0,
    # test_config only: a simqa.config.Settings to use instead of the environment's.
    "SETTINGS": None,
    # test_config only: an already-loaded Engine, so tests share one.
    "ENGINE": None,
    # test_config only: a callable(settings) -> Engine used instead of Engine.load.
    "ENGINE_LOADER": None,
    # Rate limits, trusted proxies, in-flight cap (app/limits.py); log counters (logging_setup).
    **limits.DEFAULTS,
    **logging_setup.DEFAULTS,
}


TEST_ONLY = ("SETTINGS", "ENGINE", "ENGINE_LOADER")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: DEFAULTS, then SIMQA_* environment variables, then `test_config`.

    The engine is not loaded here; it loads on first use, or at worker start (app.wsgi).
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("SIMQA")
    for key in TEST_ONLY:  # objects, never read from the environment
        app.config[key] = None
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    app.extensions["simqa"] = _engine_state(app)

    from app import api, embed, errors, pages, security, sources

    errors.register(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(sources.bp)
    embed.register(app)  # /widget.js, /embed, /widget; CORS for allowed sites
    security.register(app)
    limits.register(app)  # after the blueprints: it wraps api.ask in its own rate limit
    logging_setup.register(app)
    return app


def _engine_state(app: Flask) -> EngineState:
    from simqa.config import Settings

    engine = app.config["ENGINE"]
    settings = app.config["SETTINGS"] or getattr(engine, "settings", None) or Settings.from_env()
    kwargs: dict[str, Any] = {}
    if app.config["ENGINE_LOADER"] is not None:
        kwargs["loader"] = app.config["ENGINE_LOADER"]
    return EngineState(settings, engine=engine, **kwargs)
