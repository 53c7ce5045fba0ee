"""One row of the summary table: a measured figure against its baseline, the ratio and the target."""

from __future__ import annotations

from typing import Any


def check(name: str, measured: float, baseline: float, unit: str, target: float, note: str = "") -> dict[str, Any]:
    """A summary row; `margin_pct` is how far the ratio is under (positive) or over (negative) the target."""
    ratio = measured / baseline if baseline else float("inf")
    return {
        "name": name,
        "measured": round(measured, 4),
        "baseline": round(baseline, 4),
        "unit": unit,
        "ratio": round(ratio, 3),
        "target": target,
        "pass": ratio <= target,
        "margin_pct": round((target - ratio) / target * 100, 1) if target else 0.0,
        "note": note,
    }


def _figure(value: float, unit: str) -> str:
    return f"{value:.3g} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def verdict(row: dict[str, Any]) -> str:
    if not row["target"]:  # a count that must be zero
        return "pass" if row["pass"] else f"**MISS** ({row['measured']:.0f})"
    if row["pass"]:
        return f"pass ({row['margin_pct']:.0f}% under)"
    return f"**MISS** (over by {row['ratio'] - row['target']:.3g}x, {-row['margin_pct']:.0f}%)"


def summary_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| Benchmark | Measured | Baseline | Ratio | Target | Verdict |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        name = row["name"] + (f" ({row['note']})" if row["note"] else "")
        if not row["target"]:  # a count that must be zero, out of a total
            lines.append(f"| {name} | {row['measured']:,.0f} | of {row['baseline']:,.0f} {row['unit']} | - "
                         f"| 0 | {verdict(row)} |")
            continue
        lines.append(
            f"| {name} | {_figure(row['measured'], row['unit'])} | {_figure(row['baseline'], row['unit'])} "
            f"| {row['ratio']:.3f}x | ≤ {row['target']}x | {verdict(row)} |"
        )
    return lines
