"""Signature headers with several signatures, several secrets at once (rotation), and the replay store an
application plugs in (shared by processes): through the generated `opi.<alias>.webhooks` of the test specs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.webhook_support import generated

NOW = 1_767_225_600
EVENT = {"event": "refund.succeeded", "refund": {"id": "rf_2", "reference": "R-1", "status": "done"}, "created": NOW}
BODY = json.dumps(EVENT).encode()


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    with generated(tmp_path_factory.mktemp("hooks")) as modules:
        yield modules


def hexmac(secret: str, message: bytes, digest: Any = hashlib.sha256) -> str:
    return hmac.new(secret.encode(), message, digest).hexdigest()


def b64mac(secret: str, message: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def reason(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(Exception) as caught:
        call(*args, **kwargs)
    assert type(caught.value).__name__ == "WebhookVerificationError", caught.value
    return str(caught.value.reason)  # type: ignore[attr-defined]


def pairs_header(*signatures: str, stamp: int = NOW, extra: str = "") -> dict[str, str]:
    return {"Hook-Signature": ",".join([f"t={stamp}", *(f"v1={s}" for s in signatures)]) + extra}


def test_combined_header_any_signature_may_match(hooks: dict[str, ModuleType]) -> None:
    verify = hooks["hookpairs"].verify
    good = hexmac("new", f"{NOW}.".encode() + BODY)
    wrong = hexmac("old", f"{NOW}.".encode() + BODY)
    for header in (pairs_header(good), pairs_header(wrong, good), pairs_header(good, wrong),
                   pairs_header(good, extra=",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"),
                   {"Hook-Signature": f" t={NOW} , v1={good.upper()} "}):
        assert verify(BODY, header, "new", now=NOW, replays=None).name == "refund.succeeded", header
    assert reason(verify, BODY, pairs_header(wrong, wrong), "new", now=NOW, replays=None) == "bad_signature"
    assert reason(verify, BODY, pairs_header("zz-not-hex", wrong), "new", now=NOW, replays=None) == "bad_signature"
    assert reason(verify, BODY, {"Hook-Signature": f"v1={good}"}, "new", now=NOW, replays=None) == "bad_signature"
    assert reason(verify, BODY, {"Hook-Signature": f"t=soon,v1={good}"}, "new", now=NOW, replays=None) == (
        "bad_signature")
    assert reason(verify, BODY, {"Hook-Signature": f"t={NOW}"}, "new", now=NOW, replays=None) == "bad_signature"
    many = pairs_header(*[wrong] * 16, good)
    assert reason(verify, BODY, many, "new", now=NOW, replays=None) == "bad_signature"  # over 16 signatures
    # the timestamp is the signed one: a changed t breaks the signature, an old genuine one is too old
    assert reason(verify, BODY, pairs_header(good, stamp=NOW + 1), "new", now=NOW, replays=None) == "bad_signature"
    old = hexmac("new", f"{NOW - 301}.".encode() + BODY)
    assert reason(verify, BODY, pairs_header(old, stamp=NOW - 301), "new", now=NOW, replays=None) == "too_old"


def test_separated_signatures_any_may_match(hooks: dict[str, ModuleType]) -> None:
    verify = hooks["hooklist"].verify
    good, wrong = "v1," + b64mac("new", BODY), "v1," + b64mac("old", BODY)
    for text in (good, f"{wrong} {good}", f"{good} {wrong}", f"v2,abc {good}", f"{wrong} v1,%%% {good}"):
        event = verify(BODY, {"X-Hook-Signatures": text}, "new", replays=None)
        assert event.name == "refund.succeeded", text
    for text in (wrong, f"{wrong} {wrong}", good.removeprefix("v1,"), " ".join([wrong] * 16 + [good])):
        assert reason(verify, BODY, {"X-Hook-Signatures": text}, "new", replays=None) == "bad_signature", text


@pytest.mark.parametrize("alias", ["hookpay", "hooksha", "hooktoken", "hookpairs", "hooklist"])
def test_several_secrets_during_rotation(hooks: dict[str, ModuleType], alias: str) -> None:
    module = hooks[alias]

    def signed(secret: str) -> dict[str, str]:
        timed = f"{NOW}.".encode() + BODY
        return {
            "hookpay": lambda: {"X-Hook-Signature": "v1=" + hexmac(secret, timed), "X-Hook-Timestamp": str(NOW)},
            "hooksha": lambda: {"X-Hub-Signature": base64.b64encode(
                hmac.new(secret.encode(), BODY, hashlib.sha1).digest()).decode()},
            "hooktoken": lambda: {"X-Hook-Secret-Token": secret},
            "hookpairs": lambda: pairs_header(hexmac(secret, timed)),
            "hooklist": lambda: {"X-Hook-Signatures": "v1," + b64mac(secret, BODY)},
        }[alias]()

    keys = set()
    for secret in ("old-secret", "new-secret"):
        for given in (["old-secret", "new-secret"], ("new-secret", b"old-secret")):
            event = module.verify(BODY, signed(secret), given, now=NOW, replays=None)
            assert event.name == "refund.succeeded"
            keys.add(event.key)
    if alias != "hooktoken":  # a token signs no body: its key is the body's hash either way
        assert len(keys) == 2  # the key follows the first secret given
    assert reason(module.verify, BODY, signed("third"), ["old-secret", "new-secret"], now=NOW, replays=None) == (
        "bad_signature")
    assert reason(module.verify, BODY, signed("old-secret"), ["", ""], now=NOW, replays=None) == "no_secret"
    with pytest.raises(ValueError, match="at most 16"):
        module.verify(BODY, signed("old-secret"), [f"s{i}" for i in range(17)], now=NOW, replays=None)


def test_a_rotated_replay_is_still_a_replay(hooks: dict[str, ModuleType]) -> None:
    module = hooks["hookpay"]
    headers = {"X-Hook-Signature": "v1=" + hexmac("old", f"{NOW}.".encode() + BODY), "X-Hook-Timestamp": str(NOW)}
    guard = module.ReplayGuard()
    module.verify(BODY, headers, ["old", "new"], now=NOW, replays=guard)
    assert reason(module.verify, BODY, headers, ["old", "new"], now=NOW, replays=guard) == "replayed"


class Store:
    """A replay store as an application writes one (here over a dict); records what it was asked."""

    def __init__(self) -> None:
        self.keys: dict[str, float] = {}
        self.forgotten: list[str] = []

    def seen(self, key: str, ttl: float) -> bool:
        if key in self.keys:
            return True
        self.keys[key] = ttl
        return False

    def forget(self, key: str) -> None:
        self.forgotten.append(key)
        self.keys.pop(key, None)


def test_a_pluggable_store_decides_replays(hooks: dict[str, ModuleType]) -> None:
    module = hooks["hookpay"]
    assert isinstance(Store(), module.ReplayStore) and isinstance(module.REPLAYS, module.ReplayStore)
    headers = {"X-Hook-Signature": "v1=" + hexmac("s", f"{NOW}.".encode() + BODY), "X-Hook-Timestamp": str(NOW)}
    store = Store()
    event = module.verify(BODY, headers, "s", now=NOW + 100, replays=store)
    assert store.keys == {event.key: 200.0}  # remembered until the timestamp leaves the window
    assert reason(module.verify, BODY, headers, "s", now=NOW + 100, replays=store) == "replayed"
    untimed = hooks["hooksha"]
    sha = {"X-Hub-Signature": base64.b64encode(hmac.new(b"s", BODY, hashlib.sha1).digest()).decode()}
    store = Store()
    untimed.verify(BODY, sha, "s", replays=store)
    assert list(store.keys.values()) == [7 * 24 * 3600.0]  # no timestamp: a week
    assert len(module.REPLAYS) == 0  # the default in-process guard was not used


def test_the_asgi_app_forgets_in_the_store_when_the_handler_fails(hooks: dict[str, ModuleType]) -> None:
    import asyncio
    import time

    module = hooks["hookpay"]
    # the app passes no `now`: the timestamp is checked against the wall clock, so the delivery is signed now
    stamp = int(time.time())
    headers = {"X-Hook-Signature": "v1=" + hexmac("s", f"{stamp}.".encode() + BODY), "X-Hook-Timestamp": str(stamp)}
    store = Store()

    def fail(event: Any) -> None:
        raise RuntimeError("handler down")

    app = module.app("s", {"refund.succeeded": fail}, replays=store)
    sent: list[dict[str, Any]] = []

    async def deliver() -> None:
        messages = iter([{"type": "http.request", "body": BODY, "more_body": False}])

        async def receive() -> dict[str, Any]:
            return next(messages)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "client": ("127.0.0.1", 5),
                 "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
        with pytest.raises(RuntimeError):
            await app(scope, receive, send)

    asyncio.run(deliver())
    assert sent[0]["status"] == 500 and len(store.forgotten) == 1 and store.keys == {}


SHARED_STORE = textwrap.dedent('''
    import json, sqlite3, sys, time
    import opi
    opi.__path__.append(sys.argv[1])
    from opi.hookpay import webhooks

    class SqliteReplays:
        """A replay store shared by processes: one table, the key as its primary key (atomic insert)."""
        def __init__(self, path):
            self.db = sqlite3.connect(path, isolation_level=None, timeout=10)
            self.db.execute("create table if not exists seen (key text primary key, until real)")
        def seen(self, key, ttl):
            self.db.execute("delete from seen where until < ?", (time.time(),))
            try:
                self.db.execute("insert into seen values (?, ?)", (key, time.time() + ttl))
            except sqlite3.IntegrityError:
                return True
            return False
        def forget(self, key):
            self.db.execute("delete from seen where key = ?", (key,))

    body = open(sys.argv[3], "rb").read()
    headers = json.loads(open(sys.argv[4]).read())
    try:
        event = webhooks.verify(body, headers, "s", now=int(sys.argv[5]), replays=SqliteReplays(sys.argv[2]))
        print(event.name)
    except webhooks.WebhookVerificationError as exc:
        print(exc.reason)
''')


def test_a_shared_store_refuses_a_replay_sent_to_another_process(hooks: dict[str, ModuleType], tmp_path: Path) -> None:
    """Two processes, one store: the per-process guard would accept the copy in the second process."""
    out = Path(hooks["hookpay"].__file__).parents[1]
    headers = {"X-Hook-Signature": "v1=" + hexmac("s", f"{NOW}.".encode() + BODY), "X-Hook-Timestamp": str(NOW)}
    (tmp_path / "body").write_bytes(BODY)
    (tmp_path / "headers.json").write_text(json.dumps(headers))
    args = [str(out), str(tmp_path / "seen.db"), str(tmp_path / "body"), str(tmp_path / "headers.json"), str(NOW)]
    runs = [subprocess.run([sys.executable, "-c", SHARED_STORE, *args], capture_output=True, text=True, timeout=60)
            for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    assert [r.stdout.strip() for r in runs] == ["refund.succeeded", "replayed"]
