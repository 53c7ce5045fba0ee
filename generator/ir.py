"""Stage 3's output: the typed intermediate representation every renderer reads.

All names (Python, CLI, env vars, slugs, model classes) are derived here once; renderers and templates
only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .ir_failures import FailureInAnswer as FailureInAnswer
from .ir_failures import ParameterGroup as ParameterGroup

JsonSchema = dict[str, Any]


class Location(StrEnum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    BODY = "body"


class Idempotency(StrEnum):
    SAFE = "safe"  # reads: retried freely
    NONE = "none"  # writes with no declared mechanism: never sent twice
    HEADER = "header"  # a client-chosen key header, the same on every retry
    UNIQUE_FIELD = "unique_field"  # a unique client-chosen id plus a lookup by it


@dataclass(frozen=True)
class TypeRef:
    """A parameter's or field's type, resolved for every consumer at once."""

    python: str  # annotation used in generated code, e.g. "list[Item]"
    label: str  # human label for docs and CLI help, e.g. "array of Item"
    cli: str  # how the CLI converts text: string|integer|number|boolean|date|datetime|json
    model: str | None  # model class name when the type is (or holds) a generated model
    enum: tuple[Any, ...] = ()
    enum_descriptions: tuple[str, ...] = ()
    is_array: bool = False
    item: TypeRef | None = None  # the element type of an array
    variants: tuple[TypeRef, ...] = ()  # the members of a union (oneOf / anyOf), in spec order

    def models(self) -> set[str]:
        """Every model class the annotation names (itself, its element's, its variants')."""
        found = {self.model} if self.model is not None else set()
        for inner in (self.item, *self.variants):
            if inner is not None:
                found |= inner.models()
        return found


@dataclass(frozen=True)
class NamedUnion:
    """A named schema that is a union: its variants, and the discriminator's value of each variant."""

    name: str
    description: str
    type: TypeRef  # its `variants` are the members, without the plain-dict alternative
    discriminator: str | None = None  # the property whose value tells the variant
    tags: tuple[tuple[str, str], ...] = ()  # (discriminator value, variant model)


@dataclass(frozen=True)
class Input:
    """A credential the user supplies (constructor keyword, CLI option, environment variable)."""

    name: str  # Python keyword
    option: str  # CLI option without dashes
    env: str  # environment variable
    description: str
    secret: bool
    example: str | None


@dataclass(frozen=True)
class UserFlow:
    """An OAuth 2.0 user flow (`oauth2_code`, `oauth2_device`): its endpoints (a path is relative to the
    environment's URL) and the Python names of its client id and secret inputs."""

    grant: str  # "authorization_code" | "device_code"
    token_url: str
    client_id: str
    authorization_url: str | None = None
    device_url: str | None = None
    client_secret: str | None = None
    scopes: tuple[tuple[str, str], ...] = ()  # (scope, what it allows)
    pkce: bool = True


@dataclass(frozen=True)
class AuthScheme:
    name: str
    kind: str  # a key of `kinds.AUTH`
    inputs: tuple[Input, ...]  # in the order of the kind's roles (basic: username, password)
    issues_tokens: bool  # a token method issues the credential (the kind says so)
    header: str | None = None  # api_key header name
    prefix: str = ""  # api_key value prefix
    token_method: str | None = None  # oauth2: the method that issues tokens
    token_field: str = "access_token"
    expires_field: str = "expires_in"
    options: dict[str, Any] = field(default_factory=dict)  # the kind's own settings (kinds.AuthKind.options)
    refresh_field: str | None = None  # where the token answer carries a refresh token
    flow: UserFlow | None = None  # a user flow's endpoints (oauth2_code, oauth2_device)
    location: str = "header"  # where the credential travels: header, query, path or body (api_key only)
    wire: str | None = None  # its query name, path placeholder or body field when not in a header


@dataclass(frozen=True)
class Environment:
    name: str
    url: str
    description: str
    default: bool
    hosts: tuple[tuple[str, str], ...] = ()  # (host name, base URL): other hosts some methods go to


@dataclass(frozen=True)
class EnvironmentFlag:
    name: str  # Python keyword and CLI option
    option: str
    description: str
    environment: str


@dataclass(frozen=True)
class DefaultHeader:
    name: str
    value: str
    description: str


@dataclass(frozen=True)
class ErrorAnswer:
    status: int
    body: Any


@dataclass(frozen=True)
class Errors:
    schema: JsonSchema
    model: str
    message_paths: tuple[str, ...]
    answers: dict[str, ErrorAnswer]
    errata: tuple[str, ...]


@dataclass(frozen=True)
class Parameter:
    name: str  # as written in the spec
    py_name: str
    option: str  # CLI option without dashes
    env: str  # environment variable for secrets (shown for secrets only)
    location: Location
    wire: str  # name on the wire (JSON key, query/header/path name)
    required: bool
    default: Any
    has_default: bool
    const: Any
    is_const: bool
    secret: bool
    description: str
    schema: JsonSchema
    type: TypeRef
    example: Any
    has_example: bool
    annotation: str  # Python annotation in a method signature, e.g. "str | None"
    default_code: str | None  # Python default in a signature ("None", "'created'"); None when required
    style: str | None = None  # "brackets": a query object or array in bracket notation
    examples: tuple[NamedExample, ...] = ()  # more example values beside `example` (`examples:`), by name
    media_type: str | None = None  # a file part's declared media type (multipart bodies)

    @property
    def is_file(self) -> bool:
        """A file (`format: binary`): sent as a part or the whole body, outside the body model."""
        return self.schema.get("format") == "binary"


@dataclass(frozen=True)
class Header:
    name: str
    description: str
    schema: JsonSchema
    example: Any


@dataclass(frozen=True)
class Response:
    status: int
    description: str
    schema: JsonSchema | None
    model: str | None
    headers: tuple[Header, ...]
    example: Any
    has_example: bool
    content: str  # a key of `kinds.ANSWERS`
    media_type: str | None = None  # the declared media type (binary, text answers)
    filename: str | None = None  # the file name the contract server gives a binary answer
    python: str | None = None  # the result's annotation when it is not `model` (a top-level array, a scalar)
    examples: tuple[NamedExample, ...] = ()  # more example answers beside `example` (`examples:`), by name
    # Other media types the same answer may come as, chosen by the caller's Accept (same status,
    # description and headers; each with its own kind, schema and example).
    alternatives: tuple[Response, ...] = ()

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class NamedExample:
    """One of a response's named examples (`examples: {name: {summary, value}}`)."""

    name: str
    summary: str
    value: Any


@dataclass(frozen=True)
class Lookup:
    method: str  # Python name of the lookup method
    parameter: str  # Python name of its parameter
    items: str  # dotted path of the list in the lookup's answer
    result: str | None  # where a found record goes in the write's answer


@dataclass(frozen=True)
class Safety:
    kind: Idempotency
    note: str | None
    header: str | None = None
    field: str | None = None  # Python name of the unique parameter
    lookup: Lookup | None = None


@dataclass(frozen=True)
class Pagination:
    """How a list method pages (`pagination`; `style` is a key of `kinds.PAGING`). `parameter` and `limit`
    are Python names of the method's parameters; `items`, `next` and `has_more` dotted wire paths."""

    style: str
    items: str
    parameter: str
    next: str | None = None
    limit: str | None = None
    has_more: str | None = None
    start: int = 0
    short_page: bool = False
    size: int | None = None  # the limit parameter's default: the page size when the caller gives none
    note: str = ""


@dataclass(frozen=True)
class Method:
    name: str  # PascalCase as in OPI
    py_name: str
    title: str
    slug: str
    description: str
    group: str
    http_method: str
    path: str
    auth: tuple[tuple[str, ...], ...]  # alternatives of scheme names; () = no auth
    doc_title: str
    doc_url: str
    source: str
    notes: tuple[str, ...]
    errata: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body_content: str | None  # a key of `kinds.BODIES`; None: no body
    body_model: str | None
    responses: tuple[Response, ...]
    safety: Safety
    position: int  # 1-based position inside its group
    params_model: str | None  # model of the path/query/header parameters (keyed by wire name), if any
    body_media: str | None = None  # the body's declared media type (binary, text bodies)
    body_style: str | None = None  # "brackets": a form body's nested fields in bracket notation
    pagination: Pagination | None = None  # how a list method pages, if it does
    host: str | None = None  # the environments' host it goes to (`environments[].hosts`), else their url
    url_parameter: str | None = None  # Python name of the parameter that is the whole URL (`PUT {url}`)
    in_success: FailureInAnswer | None = None  # how a success answer says the call failed, if it can
    parameter_groups: tuple[ParameterGroup, ...] = ()  # rules across parameters

    def group_params(self, group: ParameterGroup) -> tuple[Parameter, ...]:
        by_name = {p.py_name: p for p in self.parameters}
        return tuple(by_name[name] for name in group.parameters)

    def example_leaves_out(self) -> frozenset[str]:
        """Python names of the parameters an example call leaves out so that it keeps every rule across
        parameters: all but the first of an "exactly one of" group."""
        return frozenset(name for g in self.parameter_groups if g.rule == "exactly_one_of" for name in g.parameters[1:])

    @property
    def success(self) -> Response:
        return next(r for r in self.responses if r.is_success)


@dataclass(frozen=True)
class WebhookSignature:
    """How the provider signs its webhook deliveries (`webhooks.signature`; `scheme` is a key of
    `kinds.WEBHOOKS`). Fields a scheme does not use keep their defaults."""

    scheme: str
    header: str = ""
    algorithm: str = "sha256"
    encoding: str = "hex"
    signed: str = "body"
    prefix: str = ""
    timestamp_header: str = ""
    tolerance: int = 300
    ranges: tuple[str, ...] = ()
    separator: str = ""  # several signatures in one header, split by this
    signature_key: str = ""  # `pairs.signature`: the header is `key=value` pairs (`t=...,v1=...`)
    timestamp_key: str = ""  # `pairs.timestamp`


@dataclass(frozen=True)
class WebhookEvent:
    name: str  # as the payload names it, e.g. "refund.succeeded"
    slug: str  # docs page
    description: str
    model: str  # the payload's model class
    schema: JsonSchema
    example: Any
    after: tuple[str, ...]  # methods after whose success the contract server sends it


@dataclass(frozen=True)
class Webhooks:
    description: str
    type_field: tuple[str, ...]  # where the payload names its event
    max_bytes: int
    signature: WebhookSignature
    events: tuple[WebhookEvent, ...]


@dataclass(frozen=True)
class Group:
    name: str
    slug: str
    description: str
    position: int
    methods: tuple[Method, ...]


@dataclass(frozen=True)
class Provider:
    alias: str
    title: str
    description: str
    docs_url: str
    credentials: str | None
    errata: tuple[str, ...]
    environments: tuple[Environment, ...]
    environment_flag: EnvironmentFlag | None
    headers: tuple[DefaultHeader, ...]
    schemes: tuple[AuthScheme, ...]
    auth: tuple[tuple[str, ...], ...]
    errors: Errors
    schemas: dict[str, JsonSchema]  # every model the package holds, refs as '#/$defs/Name'
    methods: tuple[Method, ...]
    groups: tuple[Group, ...]
    source_file: str  # spec path relative to the repo, for headers
    spec_hash: str
    # Every constructor keyword: the schemes' inputs, then the token methods' parameters they fill
    # (e.g. an OAuth client id and secret), each once.
    client_inputs: tuple[Input, ...]
    base_url_env: str  # environment variable that overrides the base URL (CLI)
    docs_folder: str  # the provider's docs folder: its title's slug, unless another spec has the same one
    unions: tuple[NamedUnion, ...] = ()  # the named schemas that are a oneOf / anyOf
    webhooks: Webhooks | None = None  # the events the provider sends, if the spec declares them
    credential_hosts: tuple[str, ...] = ()  # `auth.hosts`: more base URLs that may receive credentials

    @property
    def default_environment(self) -> Environment:
        return next(e for e in self.environments if e.default)

    @property
    def inputs(self) -> tuple[Input, ...]:
        return tuple(i for s in self.schemes for i in s.inputs)

    def method(self, name: str) -> Method:
        return next(m for m in self.methods if m.name == name)
