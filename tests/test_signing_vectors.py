"""The signing kinds' client code against published test vectors, not only against our own contract server:
RFC 5849's worked example (section 1.2) for OAuth 1.0a, cases of AWS's Signature Version 4 test suite for
sigv4 (`tests/signing_specs/aws4_testsuite/`, see its README for the source), and the HMAC kind against
RFC 4231's HMAC-SHA256 test case 2."""

from __future__ import annotations

import base64
import datetime
import hashlib
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from generator.runtime import signing
from generator.runtime.schemes import REGISTRY
from generator.runtime.schemes import oauth1 as oauth1_scheme
from generator.runtime.spec import Scheme

SUITE = Path(__file__).resolve().parent / "signing_specs" / "aws4_testsuite"
CASES = sorted(p.stem for p in SUITE.glob("*.req"))


def outgoing(method: str, url: str, headers: dict[str, str] | None = None, body: bytes = b"") -> signing.Outgoing:
    return signing.Outgoing(method, url, dict(headers or {}), body, 30.0)


def test_oauth1_reproduces_rfc5849_section_1_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The photos example: GET with query, consumer dpf43f3p2l4k3l03 / kd94hf93k423kf44, token nnch734d00sl2jdk /
    pfkkdhi9sl3r4s00, timestamp 137131202, nonce chapoH, no oauth_version: signature MdpQcU8iPSUjWoN/UDMsK2sui9I=."""
    scheme = Scheme("oauth", "oauth1", ("ck", "cs", "tk", "ts"), options={
        "roles": ["consumer_key", "consumer_secret", "token", "token_secret"], "realm": "Photos", "version": False})
    monkeypatch.setattr(signing, "now", lambda: 137131202.0)
    monkeypatch.setattr(oauth1_scheme, "nonce", lambda: "chapoH")
    make = REGISTRY["oauth1"].signer
    assert make is not None
    signer = make(scheme, ["dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"], "")
    request = outgoing("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original")
    signer.sign(request)
    header = request.headers["Authorization"]
    assert header.startswith('OAuth realm="Photos", ')
    fields = dict(part.split("=", 1) for part in header.removeprefix('OAuth realm="Photos", ').split(", "))
    assert fields == {
        "oauth_consumer_key": '"dpf43f3p2l4k3l03"', "oauth_nonce": '"chapoH"',
        "oauth_signature_method": '"HMAC-SHA1"', "oauth_timestamp": '"137131202"',
        "oauth_token": '"nnch734d00sl2jdk"', "oauth_signature": '"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
    }


def test_oauth1_signs_form_fields_and_hashes_other_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    scheme = Scheme("oauth", "oauth1", ("ck", "cs", "tk", "ts"),
                    options={"roles": ["consumer_key", "consumer_secret", "token", "token_secret"]})
    monkeypatch.setattr(oauth1_scheme, "nonce", lambda: "n1")
    make = REGISTRY["oauth1"].signer
    assert make is not None
    signer = make(scheme, ["k", "s", "t", "ts"], "")
    form = outgoing("POST", "https://x.test/a", {"Content-Type": "application/x-www-form-urlencoded"}, b"a=1")
    other = outgoing("POST", "https://x.test/a", {"Content-Type": "application/json"}, b'{"a":1}')
    changed = outgoing("POST", "https://x.test/a", {"Content-Type": "application/x-www-form-urlencoded"}, b"a=2")
    for request in (form, other, changed):
        signer.sign(request)
    assert "oauth_body_hash" not in form.headers["Authorization"]
    body_hash = quote(base64.b64encode(hashlib.sha1(b'{"a":1}').digest()).decode(), safe="")
    assert f'oauth_body_hash="{body_hash}"' in other.headers["Authorization"]
    assert 'oauth_version="1.0"' in form.headers["Authorization"]
    signature = [r.headers["Authorization"].rsplit("oauth_signature=", 1)[1] for r in (form, changed)]
    assert signature[0] != signature[1]  # the form field is signed


def parse_request(text: str) -> tuple[str, str, dict[str, str], bytes]:
    head, _, body = text.partition("\n\n")
    first, *lines = head.split("\n")
    method, target, _ = first.split(" ")
    headers: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name] = value
    return method, target, headers, body.encode("utf-8")


@pytest.mark.parametrize("case", CASES)
def test_sigv4_reproduces_the_aws_test_suite(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.auth

    assert len(CASES) == 7
    method, target, headers, body = parse_request((SUITE / f"{case}.req").read_text(encoding="utf-8"))
    wanted = (SUITE / f"{case}.authz").read_text(encoding="utf-8").strip()
    token_line = next((line for line in (SUITE / f"{case}.creq").read_text(encoding="utf-8").splitlines()
                       if line.startswith("x-amz-security-token:")), None)
    token = token_line.split(":", 1)[1] if token_line else None
    when = datetime.datetime(2015, 8, 30, 12, 36, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: when)
    roles = ["access_key", "secret_key"] + (["session_token"] if token else [])
    scheme = Scheme("aws", "sigv4", tuple(roles), options={"roles": roles, "region": "us-east-1",
                                                           "service": "service"})
    make = REGISTRY["sigv4"].signer
    assert make is not None
    signer = make(scheme, ["AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", *([token] if token else [])], "")
    url = str(httpx.URL(f"https://{headers['Host']}{target}"))  # percent-encoded, as the client hands it over
    request = outgoing(method, url, {k: v for k, v in headers.items()
                                                                      if k != "X-Amz-Date"}, body)
    signer.sign(request)
    assert request.headers["X-Amz-Date"] == "20150830T123600Z"
    assert request.headers["Authorization"] == wanted
    if token:
        assert request.headers["X-Amz-Security-Token"] == token


def test_hmac_reproduces_rfc4231_case_2() -> None:
    """Key "Jefe", data "what do ya want for nothing?": HMAC-SHA256 5bdcc146...3843."""
    scheme = Scheme("mac", "hmac", ("secret",), header="X-Mac",
                    options={"algorithm": "sha256", "encoding": "hex", "message": "{body}"})
    make = REGISTRY["hmac"].signer
    assert make is not None
    request = outgoing("POST", "https://x.test/", {}, b"what do ya want for nothing?")
    make(scheme, ["Jefe"], "").sign(request)
    assert request.headers["X-Mac"] == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
