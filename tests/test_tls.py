"""TLS on every pool a client sends through (sync: its own httpcore pool and httpx's client layer; async:
aiohttp and httpx's transport): the server's certificate is checked against the CAs httpx trusts (here
`SSL_CERT_FILE`, as httpx reads it), and a certificate from a CA the client does not trust is refused
before anything is sent, as a `ConnectError`. Certificates come from a throwaway CA (trustme)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from client_support import (
    Canned,
    a_read_and_its_answer,
    canned_server,
    credentials,
    example_kwargs,
    invoke,
    package,
)
from test_fault_matrix import MODES, io, make_client

from generator.ir import Method, Provider


@pytest.fixture(scope="module")
def success() -> tuple[Provider, Method, bytes, dict[str, str]]:
    return a_read_and_its_answer()


@pytest.fixture(scope="module")
def server_tls() -> Iterator[tuple[ssl.SSLContext, trustme.CA]]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    yield context, ca


@pytest.mark.parametrize("trusted", [True, False])
@pytest.mark.parametrize("mode", MODES)
def test_the_servers_certificate_is_checked(
    success: tuple[Provider, Method, bytes, dict[str, str]],
    server_tls: tuple[ssl.SSLContext, trustme.CA],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    trusted: bool,
) -> None:
    p, m, body, headers = success
    context, ca = server_tls
    if trusted:
        ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    else:  # the system's CAs (or certifi's): none of them issued the server's certificate
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    pkg = package(p.alias)
    with canned_server([Canned(200, body, headers)], tls=context) as (url, seen):
        client = make_client(pkg, mode, base_url=url, max_retries=0, **credentials(p))
        if trusted:
            result = invoke(client, m, example_kwargs(p, m), io(mode))
            assert result.raw_response.content == body and len(seen) == 1
        else:
            with pytest.raises(pkg.ConnectError, match=r"(?i)certificate"):
                invoke(client, m, example_kwargs(p, m), io(mode))
            assert seen == []  # refused in the handshake: no request reached the server
