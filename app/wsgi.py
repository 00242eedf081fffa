"""WSGI entry point: `app.wsgi:app`. Each gunicorn worker imports this once and loads its engine."""

from __future__ import annotations

import logging

from app import create_app
from app.engine_state import EngineState

# Under gunicorn, simqa's log lines go where gunicorn's error log goes, at its level.
_gunicorn_log = logging.getLogger("gunicorn.error")
if _gunicorn_log.handlers:
    _simqa_log = logging.getLogger("simqa")
    _simqa_log.handlers = _gunicorn_log.handlers
    _simqa_log.setLevel(_gunicorn_log.level)
    _simqa_log.propagate = False

app = create_app()

# Load the model and index now, in the worker, before it accepts requests. A failure is logged
# and the app still serves crisis answers; other questions get a JSON 503 until a retry works.
state: EngineState = app.extensions["simqa"]
state.get()
