"""bench/load.py against a real gunicorn (short phases): at the measured capacity zero 5xx and
a p95 recorded; at 3x capacity only 200/429/503; recovery within 10 s of the load stopping."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from .servers import ROOT

pytestmark = pytest.mark.slow


def _load_module():
    spec = importlib.util.spec_from_file_location("simqa_bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_load_script_holds_at_capacity_and_at_three_times_it(engine):
    load = _load_module()
    process, base = load.start_server(workers=2, threads=16)
    try:
        figures = load.run(base, workers=2, quick=True, log=print)
    finally:
        process.terminate()
        process.wait(timeout=60)
    at = figures["at_capacity"]
    assert at is not None, figures["steps"]
    assert figures["capacity_per_second"] > 0
    assert set(at["statuses"]) == {"200"} and at["errors"] == 0
    assert 0 < at["p95"] <= figures["slo_seconds"]
    overload = figures["overload"]
    assert overload["rate"] >= 2.9 * figures["capacity_per_second"]
    assert set(overload["statuses"]) <= {"200", "429", "503"}, overload["statuses"]
    assert overload["errors"] == 0
    assert figures["recovery_seconds"] <= 10
    assert figures["holds"] is True


def test_the_load_script_refuses_other_hosts():
    load = _load_module()
    with pytest.raises(load.click.UsageError):
        load.run("http://192.0.2.1:8000", workers=1, quick=True, log=lambda *_: None)
