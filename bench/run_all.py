"""Run every benchmark and write the figures to docs/performance.md.

``make bench``. The figures are measurements on the machine that ran them, not test assertions.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import cash_sale  # noqa: E402
import startup  # noqa: E402

MARKER = "<!-- bench:results -->"


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def main() -> int:
    start = startup.run()
    sale = cash_sale.run()
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    today = datetime.date.today().isoformat()
    app_ms, bare_ms = start["app_median_s"] * 1000, start["bare_median_s"] * 1000
    stall = sale["max_loop_stall_ms"]
    lines = [
        MARKER,
        f"Measured {today} on {machine}, Qt offscreen.",
        "",
        "| benchmark | figure | goal | met |",
        "|---|---|---|---|",
        f"| cold start to interactive order screen, median of {start['rounds']} | "
        f"{app_ms:.0f} ms (bare PySide6 window {bare_ms:.0f} ms), ratio {start['ratio']:.2f} | "
        f"ratio ≤ 1.3 | {_met(start['ratio'] <= 1.3)} |",
        f"| cash sale, ✓ to result screen, median of {sale['rounds']} | {sale['median_ms']:.1f} ms "
        f"(p90 {sale['p90_ms']:.1f}, max {sale['max_ms']:.1f}) | ≤ 50 ms | "
        f"{_met(sale['median_ms'] <= 50)} |",
        f"| longest event-loop stall during those sales | {stall:.1f} ms | ≤ 16 ms | "
        f"{_met(stall <= 16)} |",
        "",
    ]
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n\n"
    head = text.split(MARKER)[0].rstrip() + "\n\n"
    doc.write_text(head + "\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
