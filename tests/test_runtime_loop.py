"""The call loop is testable without any I/O: it yields steps and takes their results or exceptions."""

from __future__ import annotations

import httpx
import pytest


def test_the_loop_yields_steps_and_handles_a_thrown_transport_error() -> None:
    from opi._runtime.base import SEND, SLEEP
    from opi._runtime.response import RawResponse
    from opi.cdek import Client

    uuid = "72753031-0000-0000-0000-000000000000"
    with Client(token="loop-token-value", base_url="http://127.0.0.1:9/v2", retry_delay=0.0) as client:
        steps = client._calling(client._spec.operations["get_order"], {"uuid": uuid})
        kind, _, url, headers, _ = steps.send(None)
        assert (kind, url) == (SEND, f"{client.base_url}/orders/{uuid}")
        assert headers["Authorization"] == "Bearer loop-token-value"
        # A read is retried after a connection failure: the loop asks for a pause, then sends again.
        assert steps.throw(httpx.ConnectError("refused"))[0] == SLEEP
        assert steps.send(None)[0] == SEND
        json_type = httpx.Headers({"content-type": "application/json"})
        answer = RawResponse(200, json_type, b'{"requests": []}', "GET", url)
        with pytest.raises(StopIteration) as done:
            steps.send((answer, False))
    assert done.value.value.raw_response is answer
