"""`opigen mock <spec> --webhook-url URL` as a subprocess: after a write, the contract server sends the
spec's event, signed as the spec says, to a receiver this test serves on 127.0.0.1; the receiver (the
generated `opi.<alias>.webhooks.app`) verifies it. And `opi <provider>` help lists the webhooks commands."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.mock.webhooks import default_secret
from tests.mock_support import auth_headers, example_request
from tests.webhook_support import generated, providers, serve_asgi, wait_for

OPIGEN = str(Path(sys.executable).parent / "opigen")
OPI = "import sys; from opi.cli import main; sys.exit(main())"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, ModuleType], dict[str, Any], Path]]:
    work = tmp_path_factory.mktemp("hooks")
    with generated(work) as modules:
        yield modules, providers(work / "again"), work


@pytest.mark.parametrize("alias", ["hookpay", "hookpairs"])
def test_opigen_mock_delivers_a_signed_event(world: Any, alias: str) -> None:
    modules, found, work = world
    module, provider = modules[alias], found[alias]
    received: list[Any] = []
    app = module.app(default_secret(provider), {"refund.succeeded": received.append}, replays=module.ReplayGuard())
    with serve_asgi(app) as receiver:
        process = subprocess.Popen(
            [OPIGEN, "mock", alias, "--port", "0", "--specs", str(work / "specs"), "--webhook-url", receiver],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            assert process.stdout is not None
            started, url = process.stdout.readline().split()
            assert started == alias and url.startswith("http://127.0.0.1:")
            method = provider.method("CreateRefund")
            with httpx.Client(base_url=url, timeout=5.0) as client:
                request = example_request(method)
                request["headers"].update(auth_headers(client, provider, method, {}))
                answer = client.request(**request)
            assert answer.status_code == 201, answer.text
            assert wait_for(lambda: len(received) == 1, timeout=15)
            event = received[0]
            assert event.name == "refund.succeeded" and event.data.refund.status == "done"
        finally:
            process.send_signal(signal.SIGINT)
            try:
                _, err = process.communicate(timeout=10)
            finally:
                process.kill()
    assert process.returncode == 0, err
    assert f"{alias} webhooks -> {receiver}" in err


def test_provider_help_lists_the_webhooks_commands(world: Any) -> None:
    modules = world[0]
    out = Path(modules["hookpay"].__file__ or "").parents[2]
    done = subprocess.run([sys.executable, "-c", OPI, "hookpay"], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(out)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = lines.index("Webhooks (events the provider sends to your URL):")
    assert lines[at + 1].split()[:2] == ["webhooks", "listen"] and "--secret-env" in lines[at + 1]
    assert lines[at + 2].split()[:2] == ["webhooks", "verify"] and "--body FILE" in lines[at + 2]
    assert lines[at + 3].strip() == "Events: refund.succeeded, refund.failed"


def test_a_provider_without_webhooks_lists_none() -> None:
    from tests.cli_support import opi as seed_opi

    done = seed_opi("paydo")
    assert done.code == 0 and "Webhooks" not in done.out and "webhooks listen" not in done.out
