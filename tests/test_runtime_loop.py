"""The call loop is testable without any I/O: it yields steps and takes their results or exceptions."""

from __future__ import annotations

import httpx
import pytest
from client_support import credentials, example_kwargs, package
from provider_support import providers

from generator.ir import Idempotency


def test_the_loop_yields_steps_and_handles_a_thrown_transport_error() -> None:
    from opi._runtime.base import SEND, SLEEP
    from opi._runtime.response import RawResponse

    # Any read of any spec whose call sends one request (no token to fetch first).
    p, m = next(
        (p, m)
        for p in providers()
        for m in p.methods
        if m.safety.kind is Idempotency.SAFE
        and not {n for option in m.auth for n in option} & {s.name for s in p.schemes if s.issues_tokens}
    )
    pkg = package(p.alias)
    with pkg.Client(base_url="http://127.0.0.1:9/v2", retry_delay=0.0, **credentials(p)) as client:
        op = client._spec.operations[m.py_name]
        args = example_kwargs(p, m)
        steps = client._calling(op, args)
        kind, _, url, headers, _ = steps.send(None)
        assert kind == SEND and url.startswith(f"{client.base_url}/"), url
        # A read is retried after a connection failure: the loop asks for a pause, then sends again.
        assert steps.throw(httpx.ConnectError("refused"))[0] == SLEEP
        again = steps.send(None)
        assert again[0] == SEND and again[2:4] == (url, headers)
        # An error answer ends the loop with the status's typed error, carrying the answer.
        json_type = httpx.Headers({"content-type": "application/json"})
        answer = RawResponse(404, json_type, b'{"message": "no such thing"}', again[1].method, url)
        with pytest.raises(pkg.NotFoundError) as raised:
            steps.send((answer, False))
    assert raised.value.raw is answer and raised.value.status == 404
