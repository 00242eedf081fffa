"""Where the shared test data lives (beside the project, never copied into it)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SIM_DEV = SHARED / "eval" / "sim-dev.jsonl"
