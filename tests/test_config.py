"""Settings are declared once; each is documented and read from its environment variable."""

from __future__ import annotations

import pytest

from simqa.config import SETTINGS, Settings

from .paths import ROOT


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`SIMQA_{s.name.upper()}`" not in readme]
    assert not missing, f"undocumented settings: {missing}"


def test_every_declared_setting_is_a_field_with_its_default():
    defaults = Settings()
    for spec in SETTINGS:
        assert getattr(defaults, spec.name) == spec.default


def test_environment_variables_override_defaults():
    settings = Settings.from_env({"SIMQA_ABSTAIN_THRESHOLD": "0.7", "SIMQA_MAX_QUOTES": "2",
                                  "SIMQA_AUTO_BUILD": "false", "SIMQA_INDEX_DIR": "/tmp/x"})
    assert settings.abstain_threshold == 0.7
    assert settings.max_quotes == 2
    assert settings.auto_build is False
    assert settings.index_dir == "/tmp/x"


def test_a_bad_value_names_the_variable():
    with pytest.raises(ValueError, match="SIMQA_MAX_QUOTES"):
        Settings.from_env({"SIMQA_MAX_QUOTES": "lots"})
