"""The contract server's webhook deliveries, received by the generated package's ASGI app over real HTTP on
127.0.0.1: after CreateRefund succeeds, each event declared `after: [CreateRefund]` arrives signed as the
provider signs and verifies; a failing receiver gets retries with backoff, and a delivery its handler failed
on gets through on the retry (the replay guard forgets it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.ir import Provider
from generator.mock.server import MockServer
from generator.mock.webhooks import default_secret
from tests.mock_support import call, credentials
from tests.webhook_support import SIGNED, generated, providers, serve_asgi, wait_for


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, ModuleType], dict[str, Provider]]]:
    work = tmp_path_factory.mktemp("hooks")
    with generated(work) as modules:
        yield modules, providers(Path(work) / "again")


@pytest.mark.parametrize("alias", SIGNED)
def test_signed_delivery_after_a_write_verifies(world: Any, alias: str) -> None:
    modules, found = world
    module, provider = modules[alias], found[alias]
    received: list[Any] = []
    app = module.app(default_secret(provider), {"refund.succeeded": received.append}, replays=module.ReplayGuard())
    with serve_asgi(app) as url, MockServer.start(provider, credentials=credentials(provider),
                                                  webhook_url=url, webhook_wait=0.05) as server:
        answer = call(server, provider.method("CreateRefund"))
        assert answer.status_code == 201, answer.text
        assert wait_for(lambda: len(received) == 1)
        event = received[0]
        assert event.name == "refund.succeeded" and event.data.refund.status == "done"
        deliverer = server.deliverer
        assert deliverer is not None
        assert wait_for(lambda: len(deliverer.attempts_made()) == 1)  # recorded once the answer is back
        attempts = deliverer.attempts_made()
        assert [(a.event, a.number, a.status) for a in attempts] == [("refund.succeeded", 1, 200)]
        # a read sends nothing
        assert call(server, provider.method("ListRefunds")).status_code == 200
        assert not wait_for(lambda: len(deliverer.attempts_made()) > 1, timeout=0.3)


def test_a_failing_receiver_gets_retries(world: Any) -> None:
    modules, found = world
    module, provider = modules["hookpay"], found["hookpay"]
    received: list[Any] = []
    failures = [RuntimeError("database down")]

    def handler(event: Any) -> None:
        if failures:
            raise failures.pop()
        received.append(event)

    app = module.app(default_secret(provider), {"refund.succeeded": handler}, replays=module.ReplayGuard())
    with serve_asgi(app) as url, MockServer.start(provider, credentials=credentials(provider),
                                                  webhook_url=url, webhook_wait=0.05) as server:
        assert call(server, provider.method("CreateRefund")).status_code == 201
        assert wait_for(lambda: len(received) == 1)
        deliverer = server.deliverer
        assert deliverer is not None
        assert wait_for(lambda: len(deliverer.attempts_made()) == 2)
        attempts = deliverer.attempts_made()
        assert [(a.number, a.status) for a in attempts] == [(1, 500), (2, 200)]
        assert attempts[0].ident == attempts[1].ident  # the same delivery, signed afresh


def test_a_wrong_secret_is_refused_every_time_and_retries_stop(world: Any) -> None:
    modules, found = world
    module, provider = modules["hookpay"], found["hookpay"]
    received: list[Any] = []
    app = module.app("not the secret", {"refund.succeeded": received.append}, replays=module.ReplayGuard())
    with serve_asgi(app) as url, MockServer.start(provider, credentials=credentials(provider),
                                                  webhook_url=url, webhook_wait=0.01) as server:
        assert call(server, provider.method("CreateRefund")).status_code == 201
        deliverer = server.deliverer
        assert deliverer is not None
        assert wait_for(lambda: len(deliverer.attempts_made()) == 5)
        assert [a.status for a in deliverer.attempts_made()] == [401] * 5
    assert received == []


def test_an_unreachable_receiver_is_retried_with_backoff(world: Any) -> None:
    _, found = world
    provider = found["hooksha"]
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/hooks"
    with MockServer.start(provider, credentials=credentials(provider), webhook_url=url,
                          webhook_wait=0.02) as server:
        assert call(server, provider.method("CreateRefund")).status_code == 201
        deliverer = server.deliverer
        assert deliverer is not None
        assert wait_for(lambda: len(deliverer.attempts_made()) == 5)
        attempts = deliverer.attempts_made()
        assert all(a.status is None and a.error == "ConnectError" for a in attempts)
        assert [a.number for a in attempts] == [1, 2, 3, 4, 5]


def test_asgi_app_answers(world: Any) -> None:
    import httpx

    modules, _ = world
    module = modules["hookpay"]
    with pytest.raises(ValueError, match=r"refund\.exploded"):
        module.app("x", {"refund.exploded": print})
    app = module.app("s", {}, replays=module.ReplayGuard())
    with serve_asgi(app) as url, httpx.Client(timeout=5) as client:
        assert client.get(url).status_code == 405
        assert client.post(url, content=b"{}").json()["error"] == "missing_header"
        assert client.post(url, content=b"x" * (2 << 20)).status_code == 413
