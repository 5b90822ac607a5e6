"""Cold start: ``desktop-pos`` to an interactive order screen vs a bare PySide6 window.

Both are started the same way (a new ``python`` process, offscreen Qt) and timed from the spawn
to the ``READY`` line each prints once its window is shown and the event loop is idle. The app
prints it when ``DESKTOP_POS_EXIT_WHEN_READY=1`` is set. Runs alternate so that both see the
same machine state; the goal is median(app) / median(bare) <= 1.3.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def time_until_ready(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "READY":
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{cmd} never became ready: {proc.stderr.read() if proc.stderr else ''}")
    proc.wait(timeout=30)
    return elapsed


def run(rounds: int = 15) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            DESKTOP_POS_EXIT_WHEN_READY="1",
            XDG_CONFIG_HOME=f"{tmp}/config",
            XDG_DATA_HOME=f"{tmp}/data",
            XDG_STATE_HOME=f"{tmp}/state",
            XDG_CACHE_HOME=f"{tmp}/cache",
        )
        # An installed app runs from compiled bytecode: let both children write and use it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        app_cmd = [sys.executable, "-m", "desktop_pos", "--demo"]
        bare_cmd = [sys.executable, str(ROOT / "bench" / "bare_window.py")]
        time_until_ready(app_cmd, env)  # first start creates and migrates the demo database
        time_until_ready(bare_cmd, env)
        app_times, bare_times = [], []
        for _ in range(rounds):
            bare_times.append(time_until_ready(bare_cmd, env))
            app_times.append(time_until_ready(app_cmd, env))
    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    return {
        "rounds": rounds,
        "app_median_s": app_median,
        "bare_median_s": bare_median,
        "ratio": app_median / bare_median,
        "app_min_s": min(app_times),
        "bare_min_s": min(bare_times),
    }


if __name__ == "__main__":
    result = run()
    for key, value in result.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
