"""What a kind is: the pluggable shapes of the spec format (request bodies, answers, auth schemes).

A kind is one small module per side. This side (the generator) declares the kind's spec rules, what it
adds to the IR, its OpenAPI fragment, its docs wording and how the contract server reads or answers it;
the runtime side (`generator/runtime/encoders`, `decoders`, `auth_kinds`) sends and reads it. Both sides
register the kind under the spec's own name for it, which is also the value of the spec key that picks it
(`body.content`, a response's `content`, an auth scheme's `type`). Kind modules take plain values (the IR,
mappings, bytes) so that the checker, the renderers and the contract server can all use them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..problems import JsonPath, Reporter

if TYPE_CHECKING:
    from ..ir import AuthScheme, Input, Provider, UserFlow


class BodyKind:
    """A request body: how its fields are laid out on the wire."""

    name: str
    media_type: str
    wording: str  # docs: "Request body: X, sent as <wording>."
    # The contract server gets every field as text (form) rather than typed JSON, so it converts the text
    # to each field's schema type before validating.
    textual: bool = False
    takes_files: bool = False  # its body parameters may be files (`format: binary`)

    def check(self, report: Reporter, method: Mapping[str, Any], at: JsonPath) -> None:
        """Spec rules that hold for this kind only; `at` is the method's path."""

    whole: bool = False  # its one body parameter is the whole body (binary, text)

    def media_types(self, declared: str | None) -> tuple[str, ...]:
        """The media type the body is sent as (a method may declare its own: `body.media_type`)."""
        return (declared or self.media_type,)

    def openapi_body(self, schema: dict[str, Any], example: dict[str, Any]) -> tuple[Any, Any]:
        """The OpenAPI schema and example of the body, from the body's full schema (files included) and
        its example fields (None: no example)."""
        if self.whole:
            only = next(iter(schema.get("properties", {}).values()), {"type": "string"})
            value = next(iter(example.values()), None)
            return only, value if isinstance(value, str) and only.get("format") != "binary" else None
        return schema, {k: v for k, v in example.items()
                        if schema.get("properties", {}).get(k, {}).get("format") != "binary"}

    def parse(self, body: bytes, content_type: str) -> dict[str, Any] | str:
        """The contract server's reading of a request body: its fields by wire name, or why it is refused."""
        raise NotImplementedError


class ReceivedFile(str):
    """A file the contract server received (a multipart part or a raw body): its text is its file name,
    so it validates as the string a file parameter's schema describes; `data` holds its bytes."""

    data: bytes
    media_type: str

    def __new__(cls, filename: str, data: bytes, media_type: str) -> ReceivedFile:
        made = super().__new__(cls, filename)
        made.data, made.media_type = data, media_type
        return made


def single_body_parameter(report: Reporter, method: Mapping[str, Any], at: JsonPath, what: str) -> int | None:
    """The index of a body kind's one body parameter (reported unless there is exactly one)."""
    found = [j for j, p in enumerate(method.get("parameters") or []) if p["in"] == "body"]
    if len(found) > 1:
        report.add((*at, "parameters", found[1]), f"a {what} body has exactly one 'in: body' parameter")
        return None
    return found[0] if found else None


class AnswerKind:
    """A success answer's body."""

    name: str
    media_type: str  # the default media type; a response may declare its own (`media_type`)
    result: str | None = None  # the Python result type; None: the response's model
    returns: str = ""  # docs: what the method returns, e.g. "the file (a `Download`)"
    needs_schema: bool = False  # the answer is described by a schema and an example
    takes_out: bool = False  # the method takes `out=` (a path or file to stream the answer to)

    def check(self, report: Reporter, response: Mapping[str, Any], at: JsonPath) -> None:
        """Spec rules that hold for this kind only; `at` is the response's path."""

    def media_types(self, declared: str | None) -> tuple[str, ...]:
        """The media types a success answer of this kind comes as; () for no body."""
        return (declared or self.media_type,)

    def encode(self, value: Any) -> bytes:
        """The contract server's answer body for an example value."""
        raise NotImplementedError

    def openapi(self, declared: str | None, schema: Any, example: Any, has_example: bool) -> dict[str, Any]:
        """The OpenAPI `content` of a success answer ({} for no body)."""
        media: dict[str, Any] = {}
        if schema is not None:
            media["schema"] = schema
        if has_example:
            media["example"] = example
        return {m: media for m in self.media_types(declared)}


# The contract server's view of a credential: the expected value of an input (None: any), and the state of
# a token it issued ("valid", "expired" or "unknown").
Expect = Callable[[str, str], bool]
TokenState = Callable[[str], str]
Known = Callable[[str], "str | None"]  # the value the server was given for an input (None: any)


@dataclass(frozen=True)
class Received:
    """A request as the contract server received it, for kinds that check more than headers (signatures)."""

    method: str
    url: str  # absolute: the Host header, then the path and query exactly as received
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    first_use: Callable[[str], bool] = lambda key: True  # False for a key (a nonce) seen before


class AuthKind:
    """An auth scheme: which inputs the user supplies and how they travel."""

    name: str
    roles: tuple[str, ...]  # the spec keys that declare the scheme's inputs, in order
    secret_roles: frozenset[str] = frozenset()  # roles that are secret unless the spec says otherwise
    issues_tokens: bool = False  # a token method issues the credential (the client fetches and refreshes)
    refresh_field: str | None = None  # where a token answer carries a refresh token unless the spec says

    def check(self, report: Reporter, name: str, scheme: Mapping[str, Any], data: Mapping[str, Any]) -> None:
        """Spec rules that hold for this kind only; `data` is the whole spec document."""

    def flow(self, scheme: Mapping[str, Any], inputs: tuple[Input, ...]) -> UserFlow | None:
        """The user flow the scheme declares (its endpoints), for kinds whose tokens a user login gets."""
        return None

    def header(self, scheme: AuthScheme) -> str:
        """The header that carries the credential."""
        return "Authorization"

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        raise NotImplementedError

    def verify(
        self, scheme: AuthScheme, headers: Mapping[str, str], expect: Expect, token_state: TokenState
    ) -> str | None:
        """The contract server's check of a request's credentials: None when accepted, else why not."""
        raise NotImplementedError

    def verify_request(self, scheme: AuthScheme, request: Received, known: Known, token_state: TokenState
                       ) -> str | None:
        """The check of a whole request: signing kinds recompute their signature over it; the others read
        its headers (`verify`)."""

        def expect(name: str, value: str) -> bool:
            wanted = known(name)
            return wanted is None or wanted == value

        return self.verify(scheme, request.headers, expect, token_state)

    def options(self, scheme: Mapping[str, Any]) -> dict[str, Any]:
        """The kind's own settings from its spec keys, for the runtime's `Scheme.options` (JSON values)."""
        return {}
    def verify_placed(self, scheme: AuthScheme, value: str | None, expect: Expect) -> str | None:
        """The same for a credential in the query, the path or the body (`value`: what is there)."""
        raise NotImplementedError


def split_credential(value: str, word: str) -> str | None:
    """The credential after an auth scheme word ('Bearer abc' -> 'abc'); None when malformed."""
    found, _, rest = value.strip().partition(" ")
    rest = rest.strip()
    if found.lower() != word.lower() or not rest or " " in rest:
        return None
    return rest
