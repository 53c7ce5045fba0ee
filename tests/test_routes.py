"""Where requests go, from the test spec tests/route_specs/xroutes.yaml: a method's own host per environment
(and `base_url=` / `--base-url` sending every method to one server), a URL taken from an earlier answer
(credentials only to the hosts the spec declares; redirects never followed), API keys in the query, a path
segment and a body field, and `Authorization: OAuth <token>`. Every method runs through the sync and async
clients and the CLI against the contract server, which checks each credential at its place."""

from __future__ import annotations

import json
import socket
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from client_support import Canned, canned_server
from openapi_spec_validator import validate
from routes_support import CREDS, Routes, call, generated_routes, opi, secret_forms

from generator.mock import MockServer, RecordedRequest
from generator.render.openapi import document

METHODS = ["GetAccount", "GetUploadUrl", "UploadFile", "GetFile", "SendMessage", "PostNotice",
           "PostFormNotice", "PostPartNotice", "GetDisk"]
UPLOAD = "https://upload.routes.example.com/put/u-123"  # the spec's example (a declared host)


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Routes]:
    with generated_routes(tmp_path_factory.mktemp("routes")) as made:
        yield made


@pytest.fixture
def server(routes: Routes) -> Iterator[MockServer]:
    with MockServer.start(routes.provider, credentials=CREDS) as started:
        yield started


@pytest.fixture
def foreign(routes: Routes) -> Iterator[MockServer]:
    """Another server on another port: not a host of the spec, so it must never see a credential."""
    with MockServer.start(routes.provider, credentials=CREDS) as started:
        yield started


def py(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def example_kwargs(r: Routes, name: str) -> dict[str, Any]:
    return {p.py_name: p.example for p in r.provider.method(name).parameters}


def dump(result: Any) -> Any:
    return result.to_json_dict()


def shows_credential(request: RecordedRequest) -> list[str]:
    """Every credential value found anywhere in a request the server received."""
    seen = json.dumps([request.path, request.query, request.headers]) + request.body.decode("utf-8", "replace")
    seen += json.dumps([request.json, request.form])
    return [name for name, value in CREDS.items() if value in seen]


# --- every method, three ways --------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["sync", "async", "cli"])
@pytest.mark.parametrize("name", METHODS)
def test_every_method_reaches_the_one_server_with_its_credential_in_place(
    routes: Routes, server: MockServer, name: str, mode: str
) -> None:
    method = routes.provider.method(name)
    kwargs = example_kwargs(routes, name)
    if mode == "cli":
        args = [f"--{p.option}={v}" for p in method.parameters for v in [kwargs[p.py_name]]]
        run = opi(routes, name, *args, base_url=server.url)
        assert run.returncode == 0, run.stderr
        result = json.loads(run.stdout)
    else:
        result = dump(call(routes, mode, py(name), base_url=server.url, kwargs=kwargs))
    assert result == method.success.example
    (request,) = server.requests_for(name)  # every host's method went to this one server
    assert request.status == 200
    scheme = next(s for s in routes.provider.schemes if s.name == method.auth[0][0])
    value = CREDS[scheme.inputs[0].name]
    if scheme.location == "query":
        assert request.query[scheme.wire or ""] == [value]
    elif scheme.location == "path":
        assert request.path == method.path.replace("{token}", value)
    elif scheme.location == "body" and method.body_content == "multipart":
        assert f'name="{scheme.wire}"\r\n\r\n{value}\r\n'.encode() in request.body
    elif scheme.location == "body":
        assert (request.json or request.form or {})[scheme.wire or ""] == value
    else:
        assert request.headers["authorization"] == f"OAuth {value}"  # a prefix other than Bearer
    if scheme.location != "header":
        assert "authorization" not in request.headers


def test_the_base_url_option_sends_a_content_host_method_to_the_one_server(routes: Routes,
                                                                          server: MockServer) -> None:
    run = opi(routes, "GetFile", "--file-id=f-1", f"--base-url={server.url}")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["id"] == "f-1" and len(server.requests_for("GetFile")) == 1


def test_the_contract_server_checks_each_credential_at_its_place(routes: Routes, server: MockServer) -> None:
    base = server.url
    with httpx.Client() as http:
        in_header = http.get(f"{base}/account", headers={"access_token": CREDS["access_token"]})
        wrong = http.get(f"{base}/account", params={"access_token": "other-token"})
        path = http.post(f"{base}/botOTHER:1/sendMessage", json={"chat_id": 1, "text": "x"})
        body = http.post(f"{base}/notices", json={"text": "x"})
        oauth = http.get(f"{base}/disk", headers={"Authorization": f"Bearer {CREDS['oauth_token']}"})
        ok = http.post(f"{base}/notices/form", data={"text": "x", "auth_token": CREDS["auth_token"]})
    assert in_header.json()["error"]["message"] == "Missing credentials: no query field 'access_token'"
    assert wrong.json()["error"]["message"] == "Invalid API key"
    assert path.json()["error"]["message"] == "Invalid API key"
    assert body.json()["error"]["message"] == "Missing credentials: no body field 'auth_token'"
    assert oauth.json()["error"]["message"] == "Malformed Authorization header: expected 'OAuth <key>'"
    assert [in_header.status_code, wrong.status_code, path.status_code, body.status_code, oauth.status_code,
            ok.status_code] == [401, 401, 401, 401, 401, 200]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("name", ["send_message", "get_account"])
def test_a_failed_connection_shows_no_credential_of_the_url(routes: Routes, mode: str, name: str) -> None:
    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{free.getsockname()[1]}"
    kwargs = {"chat_id": 1, "text": "x"} if name == "send_message" else {}
    with pytest.raises(routes.pkg.TransportError) as caught:
        call(routes, mode, name, base_url=url, kwargs=kwargs)
    shown = "".join(traceback.format_exception(caught.value)) + repr(caught.value)
    assert "127.0.0.1" in shown or "connect" in shown.lower()
    assert not any(v in shown for v in secret_forms())


# --- per-method hosts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("environment", "api", "content"), [
    ("production", "https://api.routes.example.com/v1", "https://content.routes.example.com/v1"),
    ("sandbox", "https://api-sandbox.routes.example.com/v1", "https://content-sandbox.routes.example.com/v1"),
])
def test_a_method_goes_to_its_host_in_the_chosen_environment(
    routes: Routes, mode: str, environment: str, api: str, content: str
) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": "f-1", "name": "a"} if "files" in request.url.path
                              else {"id": 7, "name": "Ann"})

    transport: Any = httpx.MockTransport(answer)
    for name, kwargs in (("get_file", {"file_id": "f-1"}), ("get_account", {})):
        call(routes, mode, name, environment=environment, transport=transport, kwargs=kwargs)
    assert [str(r.url).split("?")[0] for r in sent] == [f"{content}/files/f-1", f"{api}/account"]
    assert all(r.url.params["access_token"] == CREDS["access_token"] for r in sent)


# --- URLs from answers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_upload_url_from_an_answer_on_a_declared_host_gets_the_credential(
    routes: Routes, server: MockServer, mode: str
) -> None:
    answer = call(routes, mode, "get_upload_url", base_url=server.url, kwargs={"name": "a.txt"})
    assert str(answer.upload_url) == UPLOAD
    stored = call(routes, mode, "upload_file", base_url=server.url,  # the answer's value as it is (a URL)
                  kwargs={"upload_url": answer.upload_url, "text": "Hello"})
    assert stored.id == "f-1"
    (request,) = server.requests_for("UploadFile")
    assert request.path == "/put/u-123" and request.query["access_token"] == [CREDS["access_token"]]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("where", ["other port", "other host name"])
def test_an_upload_url_on_a_foreign_host_gets_no_credential(
    routes: Routes, server: MockServer, foreign: MockServer, mode: str, where: str
) -> None:
    # `localhost` is the same machine as 127.0.0.1 but another host name: foreign unless declared.
    url = f"{foreign.url}/put/u-123" if where == "other port" else server.url.replace("127.0.0.1", "localhost")
    target = foreign if where == "other port" else server
    with pytest.raises(routes.pkg.AuthenticationError):  # the foreign server wants a credential it never got
        call(routes, mode, "upload_file", base_url=server.url,
             kwargs={"upload_url": url + ("" if where == "other port" else "/put/u-123"), "text": "x"})
    (request,) = target.requests_for("UploadFile")
    assert shows_credential(request) == []


def test_without_base_url_only_the_declared_hosts_get_the_credential(routes: Routes) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": "f-1", "name": "a"})

    urls = [UPLOAD, "https://upload.routes.example.com:8443/put/1", "http://upload.routes.example.com/put/1",
            "https://evil.example.net/put/1", "https://content.routes.example.com/other"]
    for url in urls:
        call(routes, "sync", "upload_file", transport=httpx.MockTransport(answer),
             kwargs={"upload_url": url, "text": "x"})
    carried = [r.url.params.get("access_token") == CREDS["access_token"] for r in sent]
    assert [str(r.url).split("?")[0] for r in sent] == urls
    assert carried == [True, False, False, False, True]


def test_an_upload_url_must_be_http(routes: Routes, server: MockServer) -> None:
    with pytest.raises(routes.pkg.ValidationError, match="http:// or https://"):
        call(routes, "sync", "upload_file", base_url=server.url, kwargs={"upload_url": "ftp://a/b", "text": "x"})
    assert server.requests == []


def test_the_cli_sends_no_credential_to_a_foreign_upload_url(
    routes: Routes, server: MockServer, foreign: MockServer
) -> None:
    run = opi(routes, "UploadFile", f"--upload-url={foreign.url}/put/u-123", "--text=x", "--debug",
              base_url=server.url)
    assert run.returncode == 4, run.stderr
    (request,) = foreign.requests_for("UploadFile")
    assert shows_credential(request) == []
    assert not any(v in run.stdout + run.stderr for v in secret_forms())


# --- redirects -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["sync", "async", "own http client"])
@pytest.mark.parametrize("name", ["get_account", "get_disk", "post_notice"])
def test_a_redirect_is_not_followed(routes: Routes, foreign: MockServer, mode: str, name: str) -> None:
    """httpx drops only `Authorization` on a redirect to another host; the client follows none at all."""
    kwargs = {"text": "x"} if name == "post_notice" else {}
    moved = Canned(307, b"", {"Location": f"{foreign.url}/account"})
    with canned_server([moved]) as (url, seen), pytest.raises(routes.pkg.ApiError) as caught:
        if mode == "own http client":
            with httpx.Client(follow_redirects=True) as http:
                call(routes, "sync", name, base_url=url, http_client=http, kwargs=kwargs)
        else:
            call(routes, mode, name, base_url=url, kwargs=kwargs)
    assert caught.value.status == 307 and len(seen) == 1
    assert foreign.requests == []


# --- the export and the docs ---------------------------------------------------------------------------
def test_openapi_declares_hosts_url_parameters_and_keys_outside_headers(routes: Routes) -> None:
    doc = document(routes.provider)
    validate(doc)
    ops = {op["operationId"]: (path, op) for path, item in doc["paths"].items() for op in item.values()}
    assert [s["url"] for s in ops["GetFile"][1]["servers"]] == [
        "https://content.routes.example.com/v1", "https://content-sandbox.routes.example.com/v1"]
    assert "servers" not in ops["GetAccount"][1]
    path, upload = ops["UploadFile"]
    assert path == "/put/u-123" and upload["servers"][0]["url"] == "https://upload.routes.example.com"
    assert upload["x-opigen-url-parameter"] == "upload_url" and "parameters" not in upload
    schemes = doc["components"]["securitySchemes"]
    assert schemes["querykey"] == {"type": "apiKey", "in": "query", "name": "access_token",
                                   "description": "Access token of the user"}
    assert "pathkey" not in schemes and "bodykey" not in schemes
    path, send = ops["SendMessage"]
    assert path == "/bot{token}/sendMessage" and send["security"] == [{}]
    assert {"name": "token", "in": "path", "required": True}.items() <= send["parameters"][0].items()
    body = doc["components"]["schemas"]["PostNoticeRequest"]
    assert "auth_token" in body["required"] and body["properties"]["auth_token"]["writeOnly"] is True


def test_method_pages_say_where_the_request_and_the_credential_go(routes: Routes) -> None:
    pages = routes.out / "docs" / "Route-Files"
    upload = (pages / "Files" / "Upload-file.md").read_text(encoding="utf-8")
    assert "Sent to the URL given in `--upload-url`" in upload and "`https://upload.routes.example.com`" in upload
    content = (pages / "Files" / "Get-file.md").read_text(encoding="utf-8")
    assert "Sent to the `content` host (production: `https://content.routes.example.com/v1`" in content
    send = (pages / "Messages" / "Send-message.md").read_text(encoding="utf-8")
    assert "The credential `--bot-token` travels in the path segment `{token}`" in send
    notice = (pages / "Messages" / "Post-notice.md").read_text(encoding="utf-8")
    assert "travels in the body field `auth_token`" in notice


def test_the_cli_dry_run_shows_the_request_with_every_credential_masked(routes: Routes, tmp_path: Path) -> None:
    for name, args in (("SendMessage", ["--chat-id=1", "--text=x"]), ("GetAccount", []),
                       ("PostFormNotice", ["--text=x"])):
        run = opi(routes, name, *args, "--test", base_url="http://127.0.0.1:9")
        assert run.returncode == 0, run.stderr
        shown = json.loads(run.stdout)
        assert "***" in json.dumps(shown)
        assert not any(v in run.stdout + run.stderr for v in secret_forms())
