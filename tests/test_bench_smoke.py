"""Smoke test of the benchmark's own parts: synthetic specs pass the checker and generate in one process,
with ruff as the only child processes; a summary row reports pass/miss by the target."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.report import check
from bench.synth import write_specs
from generator.pipeline import load_providers

ROOT = Path(__file__).resolve().parent.parent


def test_synthetic_specs_are_valid_and_generate_in_one_process(tmp_path: Path) -> None:
    write_specs(tmp_path / "specs", 2, 3)
    providers = load_providers([tmp_path / "specs"])
    assert [(p.alias, len(p.methods)) for p in providers] == [("synth000", 3), ("synth001", 3)]
    proc = subprocess.run(
        [sys.executable, "-m", "bench._gen_once", str(tmp_path / "specs"), str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["processes"] == ["ruff check", "ruff format"]
    assert result["seconds"] > 0 and result["peak_kib"] > 0
    assert (tmp_path / "out" / "opi" / "synth001" / "client.py").is_file()


def test_summary_row_reports_the_margin() -> None:
    ok = check("x", 4.0, 10.0, "s", 0.5)
    assert ok["pass"] and ok["ratio"] == 0.4 and ok["margin_pct"] == 20.0
    miss = check("x", 6.0, 10.0, "s", 0.5)
    assert not miss["pass"] and miss["margin_pct"] == -20.0


def test_noop_rerun_skips_loading_and_a_changed_spec_regenerates(tmp_path: Path) -> None:
    from generator.pipeline import generate

    specs = write_specs(tmp_path / "specs", 1, 1)
    assert generate([tmp_path / "specs"], tmp_path / "out").written
    assert not generate([tmp_path / "specs"], tmp_path / "out").written
    specs[0].write_text(specs[0].read_text(encoding="utf-8").replace("Synth 0", "Synth zero"), encoding="utf-8")
    result = generate([tmp_path / "specs"], tmp_path / "out")
    assert result.written and "opi/synth000/__init__.py" in result.changed
    (tmp_path / "out" / "opi" / "synth000" / "client.py").unlink()
    assert "opi/synth000/client.py" in generate([tmp_path / "specs"], tmp_path / "out").changed


def test_union_parse_suite_measures_both_pairs() -> None:
    from bench import unions

    result = unions.run(quick=True)
    assert set(result["ms"]) == {"union", "plain", "union_text", "text"} and all(result["ms"].values())
    assert result["ratio"] == max(result["ratios"]) and unions.checks(result)[0]["target"] == 1.5


def test_webhooks_bench_measures_both_receivers_on_one_delivery() -> None:
    from bench import webhooks

    result = webhooks.run(quick=True)
    assert result["hand_us"] > 0 and result["generated_us"] > 0 and result["body_bytes"] > 50
    assert abs(result["ratio"] - result["generated_us"] / result["hand_us"]) < 0.01
    (row,) = webhooks.checks(result)
    assert row["target"] == 1.5 and row["pass"] == (row["ratio"] <= 1.5)


def test_per_call_suite_calls_every_spec_method_both_ways() -> None:
    """The per-call suite makes a valid call of every method of every spec (its example arguments keep the
    method's rules across parameters), sync and async, beside raw httpx: a spec change must not break it."""
    from bench import client_overhead

    result = client_overhead.run(quick=True)
    methods = {(c.provider.alias, c.method.name) for c in client_overhead.cases()}
    for mode in ("sync", "async"):
        rows = [r for r in result["rows"] if r["mode"] == mode]
        assert {(r["provider"], r["method"]) for r in rows} == methods
        assert all(r["raw_us"] > 0 and r["generated_us"] > 0 for r in rows)
