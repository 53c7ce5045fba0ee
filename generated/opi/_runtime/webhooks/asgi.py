"""A small ASGI app that receives one provider's webhooks: verify, then call the handler of the event.

Mount it in any ASGI framework (Starlette `Mount`, FastAPI `app.mount`) or serve it with uvicorn. Answers:
200 when the event was handled (or has no handler), 401 for an untrusted delivery, 409 for a replay, 413
for a body over the limit, 422 for a payload that is not a known event, 500 when the handler raised (the
delivery is then forgotten by the replay guard, so the provider's retry gets through).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from .core import Secrets, WebhookVerificationError
from .receiver import Event, Receiver
from .replay import ReplayStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Handler = Callable[[Event[Any]], Awaitable[None] | None]

STATUS = {
    "too_large": 413,
    "replayed": 409,
    "bad_payload": 422,
    "unknown_event": 422,
    "schema_mismatch": 422,
    "unavailable": 500,
}  # every other reason: 401


def status_of(error: WebhookVerificationError) -> int:
    return STATUS.get(error.reason, 401)


def receiver_app(
    receiver: Receiver,
    secret: Secrets,
    handlers: Mapping[str, Handler],
    *,
    replays: ReplayStore | None = None,
) -> ASGIApp:
    """An ASGI app for `receiver`'s deliveries; `handlers` maps event names to callbacks (sync or async)."""
    unknown = sorted(set(handlers) - set(receiver.events))
    if unknown:
        raise ValueError(f"handlers for events the spec does not declare: {', '.join(unknown)}")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        if scope["method"] != "POST":
            await _answer(send, 405, {"error": "method_not_allowed"})
            return
        body = await _read(receive, receiver.max_bytes)
        if body is None:
            await _answer(send, 413, {"error": "too_large"})
            return
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", ())]
        client = scope.get("client")
        try:
            event = receiver.verify(
                body, headers, secret, source=client[0] if client else None, replays=replays
            )
        except WebhookVerificationError as exc:
            await _answer(send, status_of(exc), {"error": exc.reason, "message": str(exc)})
            return
        handler = handlers.get(event.name)
        try:
            result = handler(event) if handler else None
            if inspect.isawaitable(result):
                await result
        except Exception:
            if replays is not None:
                replays.forget(event.key)
            await _answer(send, 500, {"error": "handler_failed"})
            raise
        await _answer(send, 200, {"ok": True})

    return app


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The request body, or None as soon as it passes `limit` (nothing more is read)."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = bool(message.get("more_body", False))
    return b"".join(chunks)


async def _answer(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
