"""Webhook verification in the generated package, per scheme: a genuine delivery gives its typed event; a
changed byte, a wrong secret, an old timestamp, a replay and a missing header each raise
WebhookVerificationError with their reason; hostile bodies are refused in bounded time and memory."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.webhook_support import SIGNED, STANDARD_SECRET, generated

SECRET = "s3cret-key"
NOW = 1_767_225_600
EVENT = {"event": "refund.succeeded", "refund": {"id": "rf_2", "reference": "R-1", "status": "done"}, "created": NOW}


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    with generated(tmp_path_factory.mktemp("hooks")) as modules:
        yield modules


def body_of(value: Any = None) -> bytes:
    return json.dumps(EVENT if value is None else value).encode()


# Independent signers: written from each scheme's definition, not from the generator's code.
def sign(alias: str, body: bytes, *, secret: str = SECRET, stamp: int = NOW, ident: str = "msg_1") -> dict[str, str]:
    if alias == "hookpay":
        mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        return {"X-Hook-Signature": "v1=" + mac, "X-Hook-Timestamp": str(stamp)}
    if alias == "hooksha":
        mac = hmac.new(secret.encode(), body, hashlib.sha1).digest()
        return {"X-Hub-Signature": base64.b64encode(mac).decode()}
    if alias == "hooktoken":
        return {"X-Hook-Secret-Token": secret}
    if alias == "hookstd":
        from datetime import datetime

        from standardwebhooks.webhooks import Webhook

        signature = Webhook(secret).sign(ident, datetime.fromtimestamp(stamp, tz=UTC), body.decode())
        return {"webhook-id": ident, "webhook-timestamp": str(stamp), "webhook-signature": signature}
    if alias == "hookpairs":
        mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        return {"Hook-Signature": f"t={stamp},v1={mac}"}
    if alias == "hooklist":
        mac = hmac.new(secret.encode(), body, hashlib.sha256).digest()
        return {"X-Hook-Signatures": "v1," + base64.b64encode(mac).decode()}
    return {}


def now_for(alias: str) -> float:
    """The moment deliveries are checked at (every scheme takes the injected clock)."""
    return NOW


def secret_for(alias: str) -> str:
    return STANDARD_SECRET if alias == "hookstd" else SECRET


def reason(call: Any, *args: Any, **kwargs: Any) -> str:
    """The reason of the WebhookVerificationError that `call(*args, **kwargs)` raises."""
    with pytest.raises(Exception) as caught:
        call(*args, **kwargs)
    assert type(caught.value).__name__ == "WebhookVerificationError", caught.value
    return str(caught.value.reason)  # type: ignore[attr-defined]


@pytest.mark.parametrize("alias", SIGNED)
def test_genuine_delivery_gives_typed_event(hooks: dict[str, ModuleType], alias: str) -> None:
    module = hooks[alias]
    body = body_of()
    now = now_for(alias)
    headers = sign(alias, body, secret=secret_for(alias), stamp=int(now))
    event = module.verify(body, headers, secret_for(alias), now=now, replays=None)
    assert event.name == "refund.succeeded"
    assert type(event.data).__name__ == "RefundEvent"
    assert event.data.refund.status == "done" and event.data.created == NOW


@pytest.mark.parametrize("alias", SIGNED)
def test_changed_byte_is_refused(hooks: dict[str, ModuleType], alias: str) -> None:
    body = body_of()
    now = now_for(alias)
    headers = sign(alias, body, secret=secret_for(alias), stamp=int(now))
    changed = body.replace(b"rf_2", b"rf_3")
    if alias == "hooktoken":  # a token header signs nothing: a changed body passes, as its docs say
        assert hooks[alias].verify(changed, headers, SECRET, now=now, replays=None).data.refund.id == "rf_3"
        return
    assert reason(hooks[alias].verify, changed, headers, secret_for(alias), now=now, replays=None) == (
        "bad_signature"
    )


@pytest.mark.parametrize("alias", SIGNED)
def test_wrong_secret_is_refused(hooks: dict[str, ModuleType], alias: str) -> None:
    body = body_of()
    wrong = "whsec_" + base64.b64encode(b"another secret of 24 b!").decode() if alias == "hookstd" else "other"
    now = now_for(alias)
    headers = sign(alias, body, secret=wrong, stamp=int(now))
    assert reason(hooks[alias].verify, body, headers, secret_for(alias), now=now, replays=None) == (
        "bad_signature"
    )


@pytest.mark.parametrize("alias", ["hookpay", "hookstd", "hookpairs"])
def test_old_and_future_timestamps_are_refused(hooks: dict[str, ModuleType], alias: str) -> None:
    body = body_of()
    now = now_for(alias)
    for stamp in (int(now) - 302, int(now) + 302):
        headers = sign(alias, body, secret=secret_for(alias), stamp=stamp)
        got = reason(hooks[alias].verify, body, headers, secret_for(alias), now=now, replays=None)
        assert got == "too_old"
    for stamp in (NOW - 299, NOW + 299):  # inside the window, by the injected clock (years from the wall clock)
        inside = sign(alias, body, secret=secret_for(alias), stamp=stamp)
        event = hooks[alias].verify(body, inside, secret_for(alias), now=NOW, replays=None)
        assert event.name == "refund.succeeded"


@pytest.mark.parametrize("alias", [*SIGNED, "hookip"])
def test_replayed_delivery_is_refused(hooks: dict[str, ModuleType], alias: str) -> None:
    module = hooks[alias]
    body = body_of({**EVENT, "created": NOW + len(alias)})
    now = now_for(alias)
    headers = sign(alias, body, secret=secret_for(alias), stamp=int(now))
    guard = module.ReplayGuard()
    first = module.verify(body, headers, secret_for(alias), source="192.0.2.7", now=now, replays=guard)
    assert first.name == "refund.succeeded"
    got = reason(module.verify, body, headers, secret_for(alias), source="192.0.2.7", now=now + 1, replays=guard)
    assert got == "replayed"
    guard.forget(first.key)  # a failed handler lets the provider's retry through
    assert module.verify(body, headers, secret_for(alias), source="192.0.2.7", now=now, replays=guard).key == first.key


def test_default_guard_refuses_a_replay(hooks: dict[str, ModuleType]) -> None:
    module = hooks["hookpay"]
    body = body_of({**EVENT, "created": 42})
    headers = sign("hookpay", body)
    module.verify(body, headers, SECRET, now=NOW)
    assert reason(module.verify, body, headers, SECRET, now=NOW) == "replayed"


@pytest.mark.parametrize("alias", SIGNED)
def test_each_missing_header_is_refused(hooks: dict[str, ModuleType], alias: str) -> None:
    body = body_of()
    headers = sign(alias, body, secret=secret_for(alias), stamp=int(time.time()))
    for name in headers:
        rest = {k: v for k, v in headers.items() if k != name}
        got = reason(hooks[alias].verify, body, rest, secret_for(alias), replays=None)
        assert got == "missing_header", name


def test_headers_are_matched_whatever_their_case(hooks: dict[str, ModuleType]) -> None:
    body = body_of()
    pairs = [(k.upper(), v) for k, v in sign("hookpay", body).items()]
    assert hooks["hookpay"].verify(body, pairs, SECRET, now=NOW, replays=None).name == "refund.succeeded"


@pytest.mark.parametrize("alias", SIGNED)
def test_no_secret_is_refused(hooks: dict[str, ModuleType], alias: str) -> None:
    body = body_of()
    headers = sign(alias, body, secret=secret_for(alias), stamp=int(time.time()))
    assert reason(hooks[alias].verify, body, headers, "", replays=None) == "no_secret"


def test_ip_ranges(hooks: dict[str, ModuleType]) -> None:
    module = hooks["hookip"]
    body = body_of()
    for source in ("192.0.2.200", "2001:db8::1", "::ffff:192.0.2.9"):
        assert module.verify(body, {}, source=source, replays=None).name == "refund.succeeded"
    for source in ("198.51.100.1", "2001:db9::1", "not an address", None):
        assert reason(module.verify, body, {}, source=source, replays=None) == "forbidden_source"


def test_payload_errors_come_after_verification(hooks: dict[str, ModuleType]) -> None:
    module = hooks["hookpay"]
    cases = {
        "unknown_event": body_of({**EVENT, "event": "refund.exploded"}),
        "schema_mismatch": body_of({**EVENT, "refund": {"id": 5, "status": "done"}}),
        "bad_payload": b'{"event": "refund.succeeded", "x": "\xff"}',
    }
    for expected, body in cases.items():
        assert reason(module.verify, body, sign("hookpay", body), SECRET, now=NOW, replays=None) == expected
        # the same body with a forged signature never reaches the parser
        forged = sign("hookpay", body, secret="forged")
        assert reason(module.verify, body, forged, SECRET, now=NOW, replays=None) == "bad_signature"


def test_hostile_bodies_are_refused_in_bounded_time_and_memory(hooks: dict[str, ModuleType]) -> None:
    module = hooks["hookpay"]
    huge = b'{"event": "refund.succeeded", "pad": "' + b"x" * (64 << 20) + b'"}'
    deep = b'{"event": "refund.succeeded", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    wide = b'{"event": "refund.succeeded", "x": [' + b"1," * 400_000 + b"1]}"
    signed = {id(b): sign("hookpay", b) for b in (huge, deep, wide)}  # before tracing: signing copies the body
    tracemalloc.start()
    started = time.perf_counter()
    assert reason(module.verify, huge, signed[id(huge)], SECRET, now=NOW, replays=None) == "too_large"
    assert reason(module.verify, deep, signed[id(deep)], SECRET, now=NOW, replays=None) == "bad_payload"
    got = reason(module.verify, wide, signed[id(wide)], SECRET, now=NOW, replays=None)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert got == "schema_mismatch"
    assert elapsed < 2.0, elapsed
    assert peak < 32 << 20, peak  # the 64 MiB body is refused before it is copied or hashed
    many = [(f"X-{i}", "v") for i in range(10_000)]
    assert reason(module.verify, body_of(), many, SECRET, now=NOW, replays=None) == "too_large"


def test_replay_guard_is_bounded(hooks: dict[str, ModuleType]) -> None:
    guard = hooks["hookpay"].ReplayGuard(capacity=100)
    for i in range(1000):
        assert guard.add(str(i), NOW + 10, NOW)
    assert len(guard) == 100
    assert not guard.add("999", NOW + 10, NOW) and guard.add("999", NOW + 10, NOW + 11)


def test_verification_compares_in_constant_time(hooks: dict[str, ModuleType]) -> None:
    """The HMAC and token kinds compare with hmac.compare_digest, never with ==, on what the sender gave."""
    runtime = Path(hooks["hookpay"].__file__).parents[1] / "_runtime" / "webhooks" / "kinds"
    for name in ("hmac_signature.py", "token_header.py"):
        source = (runtime / name).read_text(encoding="utf-8")
        assert "hmac.compare_digest(" in source and "== given" not in source and "given ==" not in source
