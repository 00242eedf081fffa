"""The operations and privacy documentation covers every app setting and says what is kept."""

from __future__ import annotations

from app import limits, logging_setup

from .servers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def test_every_limit_and_logging_setting_is_documented():
    settings = [*limits.DEFAULTS, *logging_setup.DEFAULTS]
    missing = [k for k in settings if f"`SIMQA_{k}`" not in OPERATIONS]
    assert not missing, f"undocumented in docs/operations.md: {missing}"


def test_readme_has_a_privacy_section_saying_what_is_and_is_not_stored():
    privacy = README.split("## Privacy", 1)[1].split("\n## ", 1)[0]
    for words in ("question text", "IP address", "request id", "Not stored", "Logged"):
        assert words in privacy, words


def test_the_publishing_command_is_documented_and_exists():
    assert "scripts/publish-index.sh" in OPERATIONS
    assert (ROOT / "scripts" / "publish-index.sh").exists()
