"""`opi <provider> webhooks verify|listen` as a subprocess, on the package generated from the webhook test
specs: a saved genuine delivery prints its event as one JSON line; a tampered one exits 8 with the reason;
`listen` serves on 127.0.0.1 and prints each verified event the contract server sends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.mock.server import MockServer
from generator.mock.webhooks import default_secret
from tests.mock_support import call, credentials
from tests.test_webhooks_verify import EVENT, SECRET, body_of, sign
from tests.webhook_support import generated, providers, wait_for

OPI = "import sys; from opi.cli import main; sys.exit(main())"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, ModuleType], Path, Path]]:
    work = tmp_path_factory.mktemp("hooks")
    with generated(work) as modules:
        out = Path(modules["hookpay"].__file__ or "").parents[2]
        yield modules, out, work


def env_for(out: Path, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI")}
    return {**env, "PYTHONPATH": str(out), **more}


def opi(out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", OPI, *args], capture_output=True, text=True, timeout=60,
                          env=env or env_for(out))


def test_verify_a_saved_delivery(world: Any, tmp_path: Path) -> None:
    _, out, _ = world
    body = body_of()
    now = int(time.time())
    headers = sign("hookpay", body, stamp=now)
    saved = tmp_path / "delivery.json"
    saved.write_bytes(body)
    options = [a for name, value in headers.items() for a in ("--header", f"{name}: {value}")]
    env = env_for(out, HOOK_SECRET=SECRET)
    done = opi(out, "hookpay", "webhooks", "verify", "--body", str(saved), *options, "--secret-env", "HOOK_SECRET",
               env=env)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    assert json.loads(line) == {"event": "refund.succeeded", "data": EVENT}
    saved.write_bytes(body.replace(b"rf_2", b"rf_9"))
    done = opi(out, "hookpay", "webhooks", "verify", "--body", str(saved), *options, "--secret-env", "HOOK_SECRET",
               env=env)
    assert done.returncode == 8 and done.stdout == ""
    assert "refused (bad_signature)" in done.stderr
    done = opi(out, "hookpay", "webhooks", "verify", "--body", str(saved), *options[:2], "--secret-env",
               "HOOK_SECRET", env=env)
    assert done.returncode == 8 and "refused (missing_header)" in done.stderr


def test_verify_needs_a_secret_and_a_provider_with_webhooks(world: Any, tmp_path: Path) -> None:
    _, out, _ = world
    saved = tmp_path / "b.json"
    saved.write_bytes(b"{}")
    done = opi(out, "hookpay", "webhooks", "verify", "--body", str(saved))
    assert done.returncode == 3 and "OPI_HOOKPAY_WEBHOOK_SECRET" in done.stderr
    done = opi(out, "hookpay", "webhooks", "verify", "--body", str(saved), "--header", "nocolon",
               env=env_for(out, OPI_HOOKPAY_WEBHOOK_SECRET="x"))
    assert done.returncode == 3 and "--header expects" in done.stderr


def test_listen_prints_each_verified_event(world: Any) -> None:
    _, out, work = world
    provider = providers(work / "again")["hookpay"]
    env = env_for(out, HOOK_SECRET=default_secret(provider))
    proc = subprocess.Popen(
        [sys.executable, "-c", OPI, "hookpay", "webhooks", "listen", "--port", "0", "--secret-env", "HOOK_SECRET",
         "--max-events", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first.startswith("Listening on http://127.0.0.1:"), first
        url = first.split()[2]
        with MockServer.start(provider, credentials=credentials(provider), webhook_url=url,
                              webhook_wait=0.05) as server:
            assert call(server, provider.method("CreateRefund")).status_code == 201
            stdout, _ = proc.communicate(timeout=20)
            assert proc.returncode == 0
            assert wait_for(lambda: bool(server.deliverer and server.deliverer.attempts_made()))
        (line,) = stdout.splitlines()
        assert json.loads(line)["event"] == "refund.succeeded"
        assert json.loads(line)["data"]["refund"]["status"] == "done"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)


def test_a_provider_without_webhooks_says_so() -> None:
    from tests.cli_support import opi as seed_opi

    done = seed_opi("paydo", "webhooks", "verify", "--body", "-")
    assert done.code == 2 and "declares no webhooks" in done.err
