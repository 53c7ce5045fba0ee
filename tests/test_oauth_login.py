"""`opi xlogin login` / `logout` and the stored tokens, as subprocesses against the contract server
(tests/oauth_specs/xlogin.yaml): the authorization-code login followed by a test that reads the printed URL
and follows it (the contract server approves and redirects to the CLI's 127.0.0.1 port), a forged `state`
refused, the device login through pending answers, every method on the stored tokens (refreshed, rotated
refresh token saved), a revoked refresh token asking to log in again, logout; and the secrets scan: no
token handed out, nor any value of the token file, shows in any output."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
from oauth_support import (
    CLIENT_ID,
    DEVICE_CLIENT_ID,
    Generated,
    cli_env,
    every_token,
    generated_xlogin,
    opi,
    opi_background,
    refresh_requests,
    start,
    stored,
)

from generator.mock import MockServer


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    with generated_xlogin(tmp_path_factory.mktemp("oauth-cli")) as g:
        yield g


@pytest.fixture
def server(generated: Generated) -> Iterator[MockServer]:
    with start(generated) as started:
        started.app.oauth.interval = 0  # the device flow polls at once
        yield started


@pytest.fixture
def env(generated: Generated, server: MockServer, tmp_path: Path) -> dict[str, str]:
    return cli_env(generated, server, tmp_path / "config" / "tokens.json")


def token_file(env: dict[str, str]) -> Path:
    return Path(env["OPI_TOKEN_FILE"])


def outputs(*done: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(d.stdout + d.stderr for d in done)


def browser_login(env: dict[str, str], forge_state: bool = False) -> tuple[subprocess.CompletedProcess[str], str]:
    """`opi xlogin login`, with the test in the role of the user's browser: it reads the printed URL and
    follows it to the contract server, which redirects to the CLI's own 127.0.0.1 port."""
    process = opi_background(env, "login", "--client-id", CLIENT_ID, "--timeout", "30")
    try:
        assert process.stderr is not None
        said = process.stderr.readline()
        url = process.stderr.readline().strip()
        assert "open this URL to log in" in said, said
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
        assert query["client_id"] == CLIENT_ID and query["scope"] == "notes.read notes.write"
        redirect = urlparse(query["redirect_uri"])
        assert redirect.hostname == "127.0.0.1" and redirect.port and redirect.path == "/callback"
        if forge_state:
            url = url.split("?")[0] + "?" + urlencode(query | {"state": "forged-state"})
        page = httpx.get(url, follow_redirects=True, timeout=30)
        assert page.status_code == 200 and "Logged in" in page.text
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    done = subprocess.CompletedProcess(process.args, process.returncode, out, said + url + "\n" + err)
    return done, url


def test_browser_login_then_every_method_and_logout(env: dict[str, str], server: MockServer) -> None:
    login, _ = browser_login(env)
    assert login.returncode == 0, login.stderr
    assert "logged in (browser)" in login.stderr and str(token_file(env)) in login.stderr
    mode = stat.S_IMODE(os.stat(token_file(env)).st_mode)
    assert mode == 0o600 and stat.S_IMODE(os.stat(token_file(env).parent).st_mode) == 0o700
    entry = stored(token_file(env))["xlogin/browser"]
    assert entry["access_token"] in server.tokens and entry["client_id"] == CLIENT_ID
    exchange = [r for r in server.requests if r.path == "/oauth/token"]
    assert [r.form["grant_type"] for r in exchange if r.form] == ["authorization_code"]
    get = opi(env, "GetNote", "--note-id", "7")
    add = opi(env, "AddNote", "--text", "Buy milk")
    assert (get.returncode, add.returncode) == (0, 0), get.stderr + add.stderr
    assert '"id": 7' in get.stdout and '"id": 8' in add.stdout
    # The access token expires: the next command refreshes (once), and the rotated refresh token is saved.
    server.expire_tokens()
    again = opi(env, "GetNote", "--note-id", "7", "--debug")
    assert again.returncode == 0, again.stderr
    assert refresh_requests(server) == 1
    renewed = stored(token_file(env))["xlogin/browser"]
    assert renewed["refresh_token"] != entry["refresh_token"] and renewed["access_token"] in server.tokens
    out = opi(env, "logout")
    assert out.returncode == 0 and "removed the tokens" in out.stderr
    assert "xlogin/browser" not in stored(token_file(env))
    after = opi(env, "GetNote", "--note-id", "7")
    assert after.returncode != 0 and "opi xlogin login" in after.stderr
    leaked = [t for t in every_token(server, token_file(env)) | {entry["access_token"], entry["refresh_token"]}
              if t in outputs(login, get, add, again, out, after)]
    assert not leaked


def test_forged_state_is_refused(env: dict[str, str], server: MockServer) -> None:
    login, _ = browser_login(env, forge_state=True)
    assert login.returncode != 0 and "state" in login.stderr
    assert not stored(token_file(env))
    assert not [r for r in server.requests if r.path == "/oauth/token"]  # the code was never exchanged


def test_device_login_through_pending_answers(env: dict[str, str], server: MockServer) -> None:
    server.app.oauth.pending_polls = 3
    login = opi(env, "login", "--scheme", "device", "--device-client-id", DEVICE_CLIENT_ID)
    assert login.returncode == 0, login.stderr
    assert "enter the code" in login.stderr and "/device" in login.stderr
    polls = [r.form["grant_type"] for r in server.requests if r.path == "/oauth/token" and r.form]
    assert polls == ["urn:ietf:params:oauth:grant-type:device_code"] * 4  # three pending, then the tokens
    entry = stored(token_file(env))["xlogin/device"]
    assert entry["client_id"] == DEVICE_CLIENT_ID and entry["access_token"] in server.tokens
    calls = [opi(env, "GetNote", "--note-id", "7"), opi(env, "AddNote", "--text", "x", "--debug")]
    assert [c.returncode for c in calls] == [0, 0], outputs(*calls)
    out = opi(env, "logout", "--scheme", "device")
    assert out.returncode == 0 and not stored(token_file(env))
    assert not [t for t in every_token(server, token_file(env)) | {entry["refresh_token"]}
                if t in outputs(login, *calls, out)]


def test_revoked_refresh_token_asks_to_log_in_again(env: dict[str, str], server: MockServer) -> None:
    login = opi(env, "login", "--scheme", "device", "--device-client-id", DEVICE_CLIENT_ID)
    assert login.returncode == 0, login.stderr
    entry = stored(token_file(env))["xlogin/device"]
    # Another program used the refresh token meanwhile (rotation): the stored one is refused now.
    used = httpx.post(server.url + "/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": entry["refresh_token"], "client_id": DEVICE_CLIENT_ID})
    assert used.status_code == 200
    server.expire_tokens()
    failed = opi(env, "GetNote", "--note-id", "7", "--debug")
    assert failed.returncode == 3  # unusable credentials, the method not sent
    assert "log in again (opi xlogin login)" in failed.stderr and "LoginRequired" in failed.stderr
    tokens = every_token(server, token_file(env)) | {entry["refresh_token"], used.json()["refresh_token"]}
    assert not [t for t in tokens if t in outputs(login, failed)]


def test_login_problems_are_plain_messages(env: dict[str, str], server: MockServer) -> None:
    no_client = opi(env, "login")
    assert no_client.returncode != 0 and "--client-id or OPI_XLOGIN_CLIENT_ID" in no_client.stderr
    unknown = opi(env, "login", "--scheme", "other", "--client-id", CLIENT_ID)
    assert unknown.returncode != 0 and "browser, device" in unknown.stderr
    refused = opi(env, "login", "--scheme", "device", "--device-client-id", "not-a-client")
    assert refused.returncode != 0 and "invalid_client" in refused.stderr
    nothing = opi(env, "logout")
    assert nothing.returncode == 0 and "no tokens were kept" in nothing.stderr
    assert not token_file(env).exists()


def test_login_opens_the_browser_only_when_allowed(env: dict[str, str], server: MockServer, tmp_path: Path) -> None:
    """With a browser ($BROWSER, here a program that follows the URL like a user who approves) `opi login`
    opens the URL itself; `--no-browser` only prints it (and nobody follows it here: the login times out)."""
    browser = tmp_path / "browser.py"
    browser.write_text(
        "import subprocess, sys\n"
        "follow = 'import sys, httpx; httpx.get(sys.argv[1], follow_redirects=True, timeout=30)'\n"
        "subprocess.Popen([sys.executable, '-c', follow, sys.argv[1]])\n", encoding="utf-8")
    env = {k: v for k, v in env.items() if k != "OPI_NO_BROWSER"} | {"BROWSER": f"{sys.executable} {browser} %s"}
    quiet = opi(env, "login", "--client-id", CLIENT_ID, "--timeout", "2", "--no-browser")
    assert quiet.returncode != 0 and "no answer from the browser within 2 s" in quiet.stderr
    assert not [r for r in server.requests if r.path == "/oauth/authorize"]
    opened = opi(env, "login", "--client-id", CLIENT_ID, "--timeout", "60")
    assert opened.returncode == 0, opened.stderr
    assert [r.path for r in server.requests if r.path.startswith("/oauth/")] == ["/oauth/authorize", "/oauth/token"]
    assert stored(token_file(env))["xlogin/browser"]["access_token"] in server.tokens


def test_provider_help_names_login(env: dict[str, str]) -> None:
    shown = opi(env, "--help")
    assert shown.returncode == 0 and "opi xlogin login [--scheme browser|device]" in shown.stdout
