"""WSGI entry point: `app.wsgi:app`. Each gunicorn worker imports this once and loads its engine."""

from __future__ import annotations

from app import create_app
from app.engine_state import EngineState

app = create_app()

# Load the model and index now, in the worker, before it accepts requests. A failure is logged
# and the app still serves crisis answers; other questions get a JSON 503 until a retry works.
state: EngineState = app.extensions["simqa"]
state.get()
