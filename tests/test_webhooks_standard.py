"""The Standard Webhooks scheme against the `standardwebhooks` library's own test vectors
(standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py): our verifier (which
delegates to the library) gives the same verdicts, with our reasons, and the contract server's signer
reproduces the library's signing vector."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

from generator.ir import WebhookSignature
from generator.kinds import WEBHOOKS
from generator.runtime.webhooks.core import Delivery, Signature, WebhookVerificationError
from generator.runtime.webhooks.kinds import REGISTRY

MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
PAYLOAD = b'{"test": 2432232314}'
SECRET = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TOLERANCE = 300
SCHEME = Signature("standard_webhooks", tolerance=TOLERANCE)


def headers_at(stamp: int) -> dict[str, str]:
    signed = f"{MSG_ID}.{stamp}.".encode() + PAYLOAD
    mac = hmac.new(base64.b64decode(SECRET), signed, hashlib.sha256).digest()
    return {"webhook-id": MSG_ID, "webhook-signature": "v1," + base64.b64encode(mac).decode(),
            "webhook-timestamp": str(stamp)}


def check(headers: dict[str, str], secret: str = SECRET, at: float | None = None) -> str:
    """'ok', or the reason the delivery is refused, checked at `at` (default: now)."""
    delivery = Delivery(PAYLOAD, headers, (secret.encode(),), None, time.time() if at is None else at)
    try:
        REGISTRY["standard_webhooks"](SCHEME)(delivery)
    except WebhookVerificationError as exc:
        return exc.reason
    return "ok"


def now() -> int:
    return int(time.time())


def without(name: str) -> dict[str, str]:
    return {k: v for k, v in headers_at(now()).items() if k != name}


VECTORS = [
    ("missing_id", lambda: without("webhook-id"), "missing_header"),
    ("missing_timestamp", lambda: without("webhook-timestamp"), "missing_header"),
    ("invalid_timestamp", lambda: {**headers_at(now()), "webhook-timestamp": "hello"}, "bad_signature"),
    ("missing_signature", lambda: without("webhook-signature"), "missing_header"),
    ("invalid_signature",
     lambda: {**headers_at(now()), "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="},
     "bad_signature"),
    ("valid_signature", lambda: headers_at(now()), "ok"),
    ("old_timestamp", lambda: headers_at(now() - TOLERANCE - 1), "too_old"),
    ("new_timestamp", lambda: headers_at(now() + TOLERANCE + 1), "too_old"),
    ("multi_sig_payload", lambda: {**headers_at(now()), "webhook-signature": " ".join([
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        headers_at(now())["webhook-signature"],
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
    ])}, "ok"),
    ("malformed_signature_list", lambda: {**headers_at(now()), "webhook-signature": "v1"}, "bad_signature"),
]


@pytest.mark.parametrize(("make", "expected"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS])
def test_library_vectors(make: object, expected: str) -> None:
    assert check(make()) == expected  # type: ignore[operator]


def test_secret_with_and_without_prefix() -> None:
    assert check(headers_at(now()), SECRET) == "ok"
    assert check(headers_at(now()), "whsec_" + SECRET) == "ok"
    assert check(headers_at(now()), "whsec_" + base64.b64encode(b"another key").decode()) == "bad_signature"


def test_the_injected_clock_decides_the_window() -> None:
    """The window is checked against the delivery's clock, not the wall clock: a delivery signed in 2021
    verifies at its own time and is too old now; one signed an hour ahead verifies an hour ahead."""
    old = 1614265330  # the library's signing vector's timestamp
    assert check(headers_at(old), at=old + 10) == "ok"
    assert check(headers_at(old), at=old - TOLERANCE + 1) == "ok"
    assert check(headers_at(old), at=old + TOLERANCE + 1) == "too_old"
    assert check(headers_at(old)) == "too_old"  # now, by the wall clock
    ahead = now() + 3600
    assert check(headers_at(ahead), at=ahead - 5) == "ok"
    assert check(headers_at(ahead)) == "too_old"
    assert check({**headers_at(old), "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="},
                 at=old) == "bad_signature"


def test_several_secrets_any_may_have_signed() -> None:
    other = base64.b64encode(b"the next key").decode()
    delivery = Delivery(PAYLOAD, headers_at(now()), (other.encode(), SECRET.encode()), None, time.time())
    assert REGISTRY["standard_webhooks"](SCHEME)(delivery).key == f"webhook-id:{MSG_ID}"
    delivery = Delivery(PAYLOAD, headers_at(now()), (other.encode(),), None, time.time())
    with pytest.raises(WebhookVerificationError) as caught:
        REGISTRY["standard_webhooks"](SCHEME)(delivery)
    assert caught.value.reason == "bad_signature"


def test_contract_server_signs_as_the_library_does() -> None:
    """The library's sign vector: whsec_ key, msg id, timestamp 1614265330, the payload."""
    signature = WebhookSignature("standard_webhooks")
    headers = WEBHOOKS["standard_webhooks"].sign(signature, PAYLOAD, b"whsec_" + SECRET.encode(), 1614265330, MSG_ID)
    assert headers["webhook-signature"] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert headers["webhook-id"] == MSG_ID and headers["webhook-timestamp"] == "1614265330"


def test_without_the_library_the_reason_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "standardwebhooks.webhooks", None)  # an import of it now fails
    delivery = Delivery(PAYLOAD, headers_at(now()), (SECRET.encode(),), None, time.time())
    with pytest.raises(WebhookVerificationError) as caught:
        REGISTRY["standard_webhooks"](SCHEME)(delivery)
    assert caught.value.reason == "unavailable" and "opi-clients[standardwebhooks]" in str(caught.value)


def test_the_library_is_imported_only_when_a_delivery_is_checked() -> None:
    import subprocess
    import sys

    code = (
        "import sys, generator.runtime.webhooks as w; assert 'standardwebhooks' not in sys.modules; "
        "from generator.runtime.webhooks.kinds import REGISTRY; assert 'standardwebhooks' not in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
