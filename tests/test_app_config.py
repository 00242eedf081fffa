"""create_app layers settings: DEFAULTS, then SIMQA_* environment variables, then test config."""

from __future__ import annotations

from app import DEFAULTS, create_app


def test_defaults(engine):
    app = create_app({"ENGINE": engine})
    assert app.config["MAX_CONTENT_LENGTH"] == DEFAULTS["MAX_CONTENT_LENGTH"] == 16 * 1024
    assert app.config["ENGINE_WAIT_SECONDS"] == DEFAULTS["ENGINE_WAIT_SECONDS"]
    assert app.extensions["simqa"].settings is engine.settings


def test_environment_overrides_defaults_and_test_config_overrides_both(engine, monkeypatch):
    monkeypatch.setenv("SIMQA_ENGINE_WAIT_SECONDS", "5")
    monkeypatch.setenv("SIMQA_MAX_CONTENT_LENGTH", "2048")
    app = create_app({"ENGINE": engine, "MAX_CONTENT_LENGTH": 4096})
    assert app.config["ENGINE_WAIT_SECONDS"] == 5
    assert app.config["MAX_CONTENT_LENGTH"] == 4096


def test_objects_are_never_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("SIMQA_ENGINE", "oops")
    monkeypatch.setenv("SIMQA_SETTINGS", "oops")
    monkeypatch.setenv("SIMQA_MAX_QUESTION_CHARS", "80")
    app = create_app()
    assert app.config["ENGINE"] is None
    assert app.extensions["simqa"].status == "not_loaded"
    assert app.extensions["simqa"].settings.max_question_chars == 80  # read by Settings.from_env


def test_creating_the_app_does_not_load_the_engine():
    loads = []
    create_app({"ENGINE_LOADER": lambda settings: loads.append(settings)})
    assert loads == []
