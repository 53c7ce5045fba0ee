"""The static description of a provider and its methods, as generated from the spec.

Each generated `opi/<alias>/client.py` holds one `ProviderSpec` and one `Operation` per method; the
runtime reads only these, so the generated part stays a thin typed layer. Models are named, not imported:
the runtime imports a provider's models module on first use, so importing a client stays cheap. (Plain
slotted classes rather than dataclasses for the same reason: building a dataclass costs about a
millisecond at import.)

Each record is built in one place of the generator (`generator/render/records.py`), which writes only the
arguments that differ from the defaults here. A new behaviour of an operation (say pagination) goes into
`Operation.features`, a mapping of feature name -> that feature's own record, instead of growing the
`Operation` constructor: operations without it stay unchanged, and the runtime code of a feature reads
`op.features.get(name)` and narrows it to its record class.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

__all__ = [
    "Lookup",
    "Operation",
    "Param",
    "ProviderSpec",
    "Safety",
    "Scheme",
    "UserFlow",
]  # the generated code's imports

T = TypeVar("T")  # the typed answer; the generated code declares it, e.g. Operation[RefundList]

PATH, QUERY, HEADER, BODY = "path", "query", "header", "body"
SAFE, NONE, IDEMPOTENCY_HEADER, UNIQUE_FIELD = "safe", "none", "header", "unique_field"

NO_FEATURES: Mapping[str, object] = MappingProxyType({})  # shared and read-only, so a safe default


class _Record:
    """Read-only after construction by convention; a repr for debugging."""

    __slots__ = ()

    def __repr__(self) -> str:
        names: tuple[str, ...] = getattr(type(self), "__slots__", ())
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({fields})"


class Param(_Record):
    """One parameter: its Python keyword, where it goes and its name there."""

    __slots__ = (
        "const",
        "default",
        "file",
        "is_const",
        "location",
        "name",
        "required",
        "secret",
        "style",
        "wire",
    )

    def __init__(
        self,
        name: str,
        wire: str,
        location: str,  # PATH | QUERY | HEADER | BODY
        *,
        required: bool = False,
        default: Any = None,  # applied when the caller leaves the keyword out
        const: Any = None,
        is_const: bool = False,
        secret: bool = False,
        file: bool = False,  # a file (path, bytes or binary file object) sent as a part or the whole body
        style: str | None = None,  # "brackets": a query object or array in bracket notation
    ) -> None:
        self.name = name
        self.wire = wire
        self.location = location
        self.required = required
        self.default = default
        self.const = const
        self.is_const = is_const
        self.secret = secret
        self.file = file
        self.style = style


class Lookup(_Record):
    """How to find the record of a write whose answer was lost."""

    __slots__ = ("items", "method", "parameter", "result")

    def __init__(self, method: str, parameter: str, items: str, result: str | None) -> None:
        self.method = method  # Python name of the lookup operation
        self.parameter = parameter  # its parameter that takes the unique value
        self.items = items  # dotted path of the list in the lookup's answer
        self.result = result  # where a found record goes in the write's answer (None: the record is it)


class Safety(_Record):
    """Whether and how a request may be sent again."""

    __slots__ = ("field", "header", "kind", "lookup")

    def __init__(
        self, kind: str, *, header: str | None = None, field: str | None = None, lookup: Lookup | None = None
    ) -> None:
        self.kind = kind  # SAFE | NONE | IDEMPOTENCY_HEADER | UNIQUE_FIELD
        self.header = header  # IDEMPOTENCY_HEADER: the key's header
        self.field = field  # UNIQUE_FIELD: Python name of the unique parameter
        self.lookup = lookup


class Operation(_Record, Generic[T]):
    """One spec method."""

    __slots__ = (
        "answer_content",
        "answer_media",
        "auth",
        "body_content",
        "body_media",
        "body_model",
        "features",
        "http_method",
        "name",
        "params",
        "params_model",
        "path",
        "py_name",
        "response_model",
        "safety",
    )

    def __init__(
        self,
        *,
        name: str,  # PascalCase, as in the spec
        py_name: str,
        http_method: str,
        path: str,  # with {wire} placeholders
        response_model: str | None,  # model class name; None: the answer is returned as a RawResponse
        params: tuple[Param, ...] = (),
        auth: tuple[tuple[str, ...], ...] = (),  # alternatives of scheme names; () = no auth
        params_model: str | None = None,  # model of the path/query/header parameters, keyed by wire name
        body_model: str | None = None,
        body_content: str | None = None,  # the body's kind: a key of `encoders.REGISTRY`
        body_media: str | None = None,  # the body's declared media type (binary, text bodies)
        answer_content: str = "json",  # the success answer's kind: a key of `decoders.REGISTRY`
        answer_media: tuple[str, ...] = (),  # the success answer's declared media types (file, text kinds)
        safety: Safety | None = None,
        features: Mapping[str, object] = NO_FEATURES,  # feature name -> its record; see the module docstring
    ) -> None:
        self.name = name
        self.py_name = py_name
        self.http_method = http_method
        self.path = path
        self.response_model = response_model
        self.params = params
        self.auth = auth
        self.params_model = params_model
        self.body_model = body_model
        self.body_content = body_content
        self.body_media = body_media
        self.answer_content = answer_content
        self.answer_media = answer_media
        self.safety = safety or Safety(SAFE)
        self.features = features


class UserFlow(_Record):
    """An OAuth 2.0 user flow (authorization code with PKCE, or device code): its endpoints and the client
    keywords of its client id and secret. A URL that is a path is relative to the client's base URL."""

    __slots__ = (
        "authorization_url",
        "client_id",
        "client_secret",
        "device_url",
        "grant",
        "pkce",
        "scopes",
        "token_url",
    )

    def __init__(
        self,
        grant: str,  # "authorization_code" | "device_code"
        token_url: str,
        client_id: str,  # the client keyword holding the OAuth client id
        *,
        authorization_url: str | None = None,
        device_url: str | None = None,
        client_secret: str | None = None,  # its keyword, when the spec declares a client secret
        scopes: tuple[str, ...] = (),
        pkce: bool = True,
    ) -> None:
        self.grant = grant
        self.token_url = token_url
        self.client_id = client_id
        self.authorization_url = authorization_url
        self.device_url = device_url
        self.client_secret = client_secret
        self.scopes = scopes
        self.pkce = pkce


class Scheme(_Record):
    """An auth scheme; `inputs` are the client keywords it reads, in the spec's role order."""

    __slots__ = (
        "expires_field",
        "flow",
        "header",
        "inputs",
        "kind",
        "location",
        "name",
        "options",
        "prefix",
        "refresh_field",
        "token_field",
        "token_method",
        "wire",
    )

    def __init__(
        self,
        name: str,
        kind: str,  # bearer | basic | api_key | oauth2
        inputs: tuple[str, ...],
        *,
        header: str | None = None,
        prefix: str = "",
        token_method: str | None = None,  # oauth2: Python name of the token operation
        token_field: str = "access_token",
        expires_field: str = "expires_in",
        options: Mapping[str, Any] = NO_FEATURES,  # a kind's own settings (a signing kind's region, ...)
        refresh_field: str | None = None,  # where a token answer carries a refresh token (None: it does not)
        flow: UserFlow | None = None,  # a user flow's endpoints (the tokens come from `opi ... login`)
        location: str = HEADER,  # where the credential goes: HEADER, QUERY, PATH or BODY (placing.py)
        wire: str | None = None,  # its query name, path placeholder or body field, when not in a header
    ) -> None:
        self.refresh_field = refresh_field
        self.flow = flow
        self.name = name
        self.kind = kind
        self.inputs = inputs
        self.header = header
        self.prefix = prefix
        self.token_method = token_method
        self.token_field = token_field
        self.expires_field = expires_field
        self.options = options
        self.location = location
        self.wire = wire


class ProviderSpec(_Record):
    __slots__ = (
        "alias",
        "base_url_env",
        "default_environment",
        "environments",
        "error_model",
        "headers",
        "message_paths",
        "models",
        "operations",
        "schemes",
        "secret_inputs",
        "source",
        "title",
        "unauthorized_status",
    )

    def __init__(
        self,
        *,
        alias: str,
        title: str,
        source: str,  # the spec file this was generated from
        environments: Mapping[str, str],  # name -> base URL
        default_environment: str,
        base_url_env: str,  # an environment variable that replaces the base URL when base_url= is not given
        headers: Mapping[str, str],  # sent on every request unless the caller overrides them
        schemes: Mapping[str, Scheme],
        secret_inputs: frozenset[str],
        models: str,  # the module holding the provider's models, imported on first use
        error_model: str,
        message_paths: tuple[str, ...],  # dotted paths of the error message; integer parts index lists
        unauthorized_status: int,  # the status of the provider's "bad token" answer (one refresh is tried)
        operations: Mapping[str, Operation[Any]],  # by Python name
    ) -> None:
        self.alias = alias
        self.title = title
        self.source = source
        self.environments = environments
        self.default_environment = default_environment
        self.base_url_env = base_url_env
        self.headers = headers
        self.schemes = schemes
        self.secret_inputs = secret_inputs
        self.models = models
        self.error_model = error_model
        self.message_paths = message_paths
        self.unauthorized_status = unauthorized_status
        self.operations = operations
