"""`opigen mock` stops cleanly however many stop signals arrive at once: a burst of SIGTERMs, or of mixed
SIGINTs and SIGTERMs, sent to a running server makes it exit promptly with code 0, every time."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import httpx
import pytest

from generator.pipeline import load_providers

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
OPIGEN = str(Path(sys.executable).parent / "opigen")
RUNS = 10  # per burst kind; the signal handler's old race showed in about 2 runs of 5
BURST = 50
# Signals sent back to back mostly merge into one pending signal before the server runs at all; ~20 us
# apart, they keep arriving while its handler runs, which is what exposed the old handler's deadlock.
GAP = 20e-6
START_TIMEOUT = 30.0  # seconds for the server to print its address (a busy machine is slow to start it)
EXIT_TIMEOUT = 5.0  # seconds for it to exit once the burst was sent

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@cache
def _alias() -> str:
    """Some provider's alias, discovered from the specs (the first in alias order)."""
    return load_providers([SPECS])[0].alias


def _read_line(process: subprocess.Popen[bytes], deadline: float) -> bytes:
    """One line of the process's stdout, waiting no later than `deadline`."""
    assert process.stdout is not None
    fd, line = process.stdout.fileno(), b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"`opigen mock` printed no address within {START_TIMEOUT} s")
        chunk = os.read(fd, 1)
        if not chunk:
            raise AssertionError(f"`opigen mock` exited before serving: code {process.wait(EXIT_TIMEOUT)}")
        line += chunk
    return line


def _serving(alias: str) -> subprocess.Popen[bytes]:
    """`opigen mock <alias>` on a free port of 127.0.0.1, once it answers HTTP requests."""
    process = subprocess.Popen(
        [OPIGEN, "mock", alias, "--host", "127.0.0.1", "--port", "0", "--specs", str(SPECS)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    try:
        served, url = _read_line(process, time.monotonic() + START_TIMEOUT).decode().split()
        assert served == alias and url.startswith("http://127.0.0.1:")
        httpx.get(url + "/", timeout=5.0)  # any answer will do: it serves
    except BaseException:
        process.kill()
        process.communicate(timeout=EXIT_TIMEOUT)
        raise
    return process


def _burst(process: subprocess.Popen[bytes], signals: list[signal.Signals]) -> tuple[int, str]:
    """Send `signals` GAP apart; the exit code and stderr. A process that does not exit in time is killed
    and fails the test. (The process is not reaped before wait(), so its pid stays valid.)"""
    for sig in signals:
        os.kill(process.pid, sig)
        until = time.perf_counter() + GAP
        while time.perf_counter() < until:  # busy: sleep() would wait far longer than GAP
            pass
    try:
        _, err = process.communicate(timeout=EXIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate(timeout=EXIT_TIMEOUT)
        pytest.fail(f"`opigen mock` still running {EXIT_TIMEOUT} s after {len(signals)} stop signals: it hung")
    return process.returncode, err.decode(errors="replace")


def _assert_clean(code: int, err: str) -> None:
    assert code == 0, f"exit code {code}; stderr:\n{err}"
    assert "Traceback" not in err, err
    assert err.rstrip().endswith("Stopped."), err


@pytest.mark.parametrize("run", range(RUNS))
def test_a_burst_of_sigterms_stops_the_server_cleanly(run: int) -> None:
    process = _serving(_alias())
    _assert_clean(*_burst(process, [signal.SIGTERM] * BURST))


@pytest.mark.parametrize("run", range(RUNS))
def test_a_mixed_burst_of_sigints_and_sigterms_stops_the_server_cleanly(run: int) -> None:
    # A different interleaving each run, reproducible from the run number.
    rng = random.Random(run)
    pattern = [rng.choice((signal.SIGINT, signal.SIGTERM)) for _ in range(BURST)]
    process = _serving(_alias())
    _assert_clean(*_burst(process, pattern))


def test_a_single_sigterm_stops_the_server_cleanly() -> None:
    process = _serving(_alias())
    started = time.monotonic()
    _assert_clean(*_burst(process, [signal.SIGTERM]))
    assert time.monotonic() - started < EXIT_TIMEOUT
