"""Signed requests, from the test spec tests/signing_specs/xsigned.yaml (OAuth 1.0a, AWS SigV4 with a session
token, two HMAC body signatures, a JWT-bearer service account): every method through the sync and async
clients and the CLI against the contract server, which recomputes each signature over the bytes it received;
a server with other secrets refuses every method; a tampered or replayed request is refused; a retry is signed
again; the JWT token is exchanged once and again after a 401."""

from __future__ import annotations

import asyncio
import datetime
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from signing_support import CALLS, SCHEME_OF, Signed, call, cli_args, credentials, generated_signed, opi, py

from generator.mock import Fault, MockServer

METHODS = list(CALLS)
MODES = ("sync", "async")
TOKEN_PATH = "/oauth2/token"


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Signed]:
    with generated_signed(tmp_path_factory.mktemp("signing")) as s:
        yield s


@pytest.fixture
def s(signed: Signed) -> Signed:
    signed.server.reset()
    return signed


def example(s: Signed, method: str) -> Any:
    return next(m for m in s.provider.methods if m.name == method).success.example


def dumped(result: Any) -> Any:
    if isinstance(result, list):
        return [r.to_json_dict() for r in result]
    return result.to_json_dict()


def other_secrets() -> dict[str, str]:
    """The server's credentials with every secret changed (the public identifiers kept)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    public = other_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    changed = {k: v + "-other" for k, v in credentials().items()
               if k in ("consumer_secret", "access_token_secret", "aws_secret_access_key", "hmac_secret",
                        "digest_secret")}
    return {**credentials(), **changed, "private_key": public.decode()}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_signed_and_accepted(s: Signed, method: str, mode: str) -> None:
    result = call(s, mode, method)
    assert dumped(result) == example(s, method)
    (received,) = s.server.requests_for(method)
    assert received.status == 200
    scheme = SCHEME_OF[method]
    headers = received.headers
    if scheme == "oauth":
        assert headers["authorization"].startswith('OAuth realm="Notes", oauth_consumer_key="ck-demo-7"')
    elif scheme == "aws":
        assert headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDDEMO7/")
        assert "x-amz-security-token" in headers["authorization"]
    elif scheme == "signed":
        assert headers["x-signature"].startswith("sha256=") and headers["x-timestamp"].isdigit()
    elif scheme == "digest":
        assert len(headers["x-body-digest"]) == 88  # SHA-512, Base64
    else:
        assert headers["authorization"].startswith("Bearer ")
        assert len([r for r in s.server.requests if r.path == TOKEN_PATH]) == 1


@pytest.mark.parametrize("method", METHODS)
def test_every_method_runs_on_the_command_line(s: Signed, method: str) -> None:
    done = opi(s, method, *cli_args(method))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == example(s, method)
    assert s.server.requests_for(method)[-1].status == 200


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
def test_a_server_with_other_secrets_refuses_every_method(signed: Signed, method: str, mode: str) -> None:
    with MockServer.start(signed.provider, credentials=other_secrets()) as server:
        other = Signed(signed.pkg, signed.provider, server, signed.out)
        with pytest.raises(signed.pkg.AuthenticationError) as caught:
            call(other, mode, method)
    # The API answers 401; a service account's assertion is refused by the token URL (400) before that.
    assert caught.value.raw.status_code == (400 if SCHEME_OF[method] == "service" else 401)
    assert not other.server.requests_for(method) or other.server.requests_for(method)[0].status == 401


def replay(s: Signed, method: str, body: bytes | None = None) -> httpx.Response:
    """The request the server last received for `method`, sent again (optionally with another body)."""
    sent = s.server.requests_for(method)[-1]
    url = s.server.url + next(r for r in s.server.requests if r.route == method).path
    query = [(k, v) for k, values in sent.query.items() for v in values]
    headers = {k: v for k, v in sent.headers.items() if k not in ("content-length", "host")}
    return httpx.request(sent.method, url, params=query, headers=headers,
                         content=sent.body if body is None else body)


@pytest.mark.parametrize("method", ["PostStatus", "ReplyStatus", "PutObject", "CreateOrder", "AddNote"])
def test_a_changed_body_is_refused(s: Signed, method: str) -> None:
    call(s, "sync", method)
    sent = s.server.requests_for(method)[-1].body
    changed = sent.replace(b"e", b"E", 1) if b"e" in sent else sent + b" "
    answer = replay(s, method, changed)
    assert answer.status_code == 401, answer.text
    assert "signature" in answer.json()["message"] or "body" in answer.json()["message"]


def test_a_replayed_oauth_request_is_refused(s: Signed) -> None:
    call(s, "sync", "GetStatus")
    answer = replay(s, "GetStatus")
    assert answer.status_code == 401
    assert answer.json()["message"] == "Repeated oauth_nonce"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", ["GetStatus", "GetObject", "ListOrders", "GetReport"])
def test_a_retry_is_signed_again(s: Signed, method: str, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first try is answered 503; the retry carries a new timestamp (and nonce) and is accepted."""
    import botocore.auth
    from opi._runtime import signing

    start = time.time()
    tries_made = iter(range(100))
    monkeypatch.setattr(signing, "now", lambda: start + 2 * next(tries_made))  # 2 s later on each try
    real = botocore.auth.get_current_datetime
    back = iter(range(100))
    monkeypatch.setattr(botocore.auth, "get_current_datetime",
                        lambda: real() - datetime.timedelta(seconds=2 * next(back)))
    s.server.set_fault(method, Fault(status=503, times=1))
    result = call(s, mode, method, max_retries=1, retry_delay=0.01)
    assert dumped(result) == example(s, method)
    tries = s.server.requests_for(method)
    assert [t.status for t in tries] == [503, 200]
    signature = {"oauth": "authorization", "aws": "x-amz-date", "signed": "x-timestamp",
                 "service": "authorization"}[SCHEME_OF[method]]
    if SCHEME_OF[method] == "service":  # the token is kept: the same header, but no second exchange
        assert tries[0].headers[signature] == tries[1].headers[signature]
    else:
        assert tries[0].headers[signature] != tries[1].headers[signature]


def test_jwt_token_is_exchanged_once_for_many_calls_and_again_after_401(s: Signed) -> None:
    async def many() -> None:
        async with s.pkg.AsyncClient(base_url=s.server.url, max_retries=0, **credentials()) as client:
            results = await asyncio.gather(*(client.get_report(report_id=i) for i in range(1, 21)))
            assert len(results) == 20
            s.server.expire_tokens()
            await client.create_report(title="again")

    asyncio.run(many())
    exchanges = [r for r in s.server.requests if r.path == TOKEN_PATH]
    assert len(exchanges) == 2
    assert [r.status for r in s.server.requests_for("CreateReport")] == [401, 200]


def test_a_refused_assertion_is_a_typed_error(signed: Signed) -> None:
    with (MockServer.start(signed.provider, credentials=other_secrets()) as server,
          signed.pkg.Client(base_url=server.url, max_retries=0, **credentials()) as client,
          pytest.raises(signed.pkg.AuthenticationError) as caught):
        client.get_report(report_id=4)
    assert "the token request was refused: assertion refused" in str(caught.value)
    assert not server.requests_for("GetReport")  # nothing was sent without a token


def test_a_file_body_cannot_be_signed(tmp_path: Path) -> None:
    """The checker refuses a signing scheme on a method that takes a file (its body is streamed unsigned)."""
    from signing_support import SPEC

    from generator.pipeline import generate
    from generator.problems import SpecError

    text = SPEC.read_text(encoding="utf-8")
    replaced = [("body: {content: text, model: AddNoteRequest, media_type: text/plain}",
                 "body: {content: binary, model: AddNoteRequest, media_type: text/plain}"),
                ("description: The note, schema: {type: string}", "description: The note, schema: {type: string, format: binary}")]
    for old, new in replaced:
        assert text.count(old) == 1
        text = text.replace(old, new)
    spec = tmp_path / "xsigned.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        generate([spec], tmp_path / "out")
    assert [str(p).removeprefix(f"{spec}:") for p in caught.value.problems] == [
        "221:9: auth scheme 'digest' signs the request body, and a file body is streamed unsigned: give this "
        "method another scheme or no file parameter (at $.methods[7].parameters[0])"]
    assert not (tmp_path / "out").exists()


def test_missing_credentials_name_the_signing_inputs(s: Signed) -> None:
    with (s.pkg.Client(base_url=s.server.url, hmac_secret="x-secret-1") as client,
          pytest.raises(s.pkg.CredentialsError) as caught):
        client.get_object(key="k")
    assert "aws_access_key_id" in str(caught.value) and "aws_secret_access_key" in str(caught.value)
    assert not s.server.requests


def test_the_session_token_is_optional(s: Signed) -> None:
    given = {k: v for k, v in credentials().items() if k != "aws_session_token"}
    with MockServer.start(s.provider, credentials=given) as server:
        with s.pkg.Client(base_url=server.url, max_retries=0, **given) as client:
            assert client.get_object(key="k").id == 7
        assert "x-amz-security-token" not in server.requests_for("GetObject")[0].headers


def test_py_names(s: Signed) -> None:
    assert all(hasattr(s.pkg.Client, py(m)) for m in METHODS)
