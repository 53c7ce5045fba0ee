"""Every runtime record the generated code declares, built from the IR in this one place.

A client module holds a `ProviderSpec` with its `Scheme`s and one `Operation` (with `Param`s and `Safety`)
per method; a command table holds a `ProviderTable` of `Environment`, `Option`, `TokenFlow` and `Command`
rows. Each builder below names a runtime class and its arguments; `pycode.record` leaves out what equals
that class's defaults, and the templates write the records with the `pycode` filter.
"""

from __future__ import annotations

import json
from typing import Any

from ..ir import AuthScheme, Input, Method, Parameter, Provider
from ..ir import Safety as SafetyIR
from ..kinds import ANSWERS
from ..runtime import accept, answer_errors, cli_pages, cli_table, pages, param_groups, routes, spec, uploads
from .cli_rules import (
    check_names,
    credential_ways,
    parameter_env,
    secret_fields,
    secret_headers,
    terminal_text,
)
from .pycode import Code, Flat, Record, Rows, record
from .records_accept import accept_feature, accept_options
from .records_signing import token_flows as signing_flows

DEFAULT_UNAUTHORIZED = 401  # the status of a "bad token" answer when the spec names none


# --- the client module: opi/<alias>/client.py ----------------------------------------------------------------


def param(p: Parameter) -> Record:
    return record(
        spec.Param,
        p.py_name,
        p.wire,
        p.location.value,
        required=p.required,
        default=p.default if p.has_default else None,
        const=p.const if p.is_const else None,
        is_const=p.is_const,
        secret=p.secret,
        file=p.is_file,
        style=p.style,
        keep=("const",) if p.is_const else (),  # a constant of null is still written out
    )


def safety(s: SafetyIR) -> Record:
    found = s.lookup
    lookup = record(spec.Lookup, found.method, found.parameter, found.items, found.result) if found else None
    return record(spec.Safety, s.kind.value, header=s.header or None, field=s.field or None, lookup=lookup)


def features(method: Method, provider: Provider | None = None) -> dict[str, Record | tuple[Record, ...] | Rows]:
    found: dict[str, Record | tuple[Record, ...] | Rows] = {}
    if provider is not None and (method.host or method.url_parameter):
        found[routes.FEATURE] = route(provider, method)
    p = method.pagination
    if p is not None:
        found[pages.FEATURE] = record(
            pages.Paging, p.style, p.items, p.parameter, next=p.next, limit=p.limit, has_more=p.has_more,
            start=p.start, short_page=p.short_page, size=p.size,
        )
    parts = {p.wire: p.media_type for p in method.parameters if p.media_type}
    if parts:
        found[uploads.PARTS] = Rows(parts)  # the declared media type of each file part, by wire name
    offered = accept_feature(method)
    if offered:
        found[accept.FEATURE] = offered  # one MediaChoice per media type, the default first
    f = method.in_success
    if f is not None:
        found[answer_errors.FEATURE] = record(
            answer_errors.FailureInAnswer, f.field, f.test, value=f.value, message=f.message, codes=f.codes,
            error=f.error, keep=("value",) if f.test in (answer_errors.EQUALS, answer_errors.NOT_EQUALS) else (),
        )
    if method.parameter_groups:
        found[param_groups.FEATURE] = tuple(
            record(param_groups.ParameterRule, g.rule, g.parameters,
                   tuple(p.wire for p in method.group_params(g)))
            for g in method.parameter_groups
        )
    return found


def route(provider: Provider, method: Method) -> Record:
    """Where a method goes when not to the environment's URL (runtime/routes.py)."""
    hosts = {e.name: dict(e.hosts)[method.host] for e in provider.environments} if method.host else {}
    url = next((p.wire for p in method.parameters if p.py_name == method.url_parameter), None)
    trusted = tuple(dict.fromkeys(
        [u for e in provider.environments for u in (e.url, *dict(e.hosts).values())] + list(provider.credential_hosts)
    )) if url else ()
    return record(routes.Route, hosts=hosts, url=url, trusted=trusted, rows=True)


def operation(method: Method, provider: Provider | None = None) -> Record:
    """`provider`: for a method with its own host or a URL parameter (its route record)."""
    return record(
        spec.Operation,
        name=method.name,
        py_name=method.py_name,
        http_method=method.http_method,
        path=method.path,
        response_model=method.success.model,
        params=tuple(param(p) for p in method.parameters),
        auth=Flat(method.auth),
        params_model=method.params_model,
        body_model=method.body_model,
        body_content=method.body_content if method.body_model and method.body_content else None,
        body_media=method.body_media,
        answer_content=method.success.content,
        answer_media=_answer_media(method),
        safety=safety(method.safety),
        features=features(method, provider),  # feature name -> its record, for behaviours beyond these fields
        keep=("params", "auth"),  # written even when empty: a reader sees "no parameters", "no auth"
        rows=True,
    )


def _answer_media(method: Method) -> tuple[str, ...]:
    """The declared media types of a success answer that is not described by a schema (a file, text)."""
    kind = ANSWERS[method.success.content]
    return () if kind.needs_schema else kind.media_types(method.success.media_type)


def scheme(provider: Provider, s: AuthScheme) -> Record:
    token: dict[str, Any] = {}
    if s.token_method:  # the token fields are written whenever the client fetches tokens itself
        token = {
            "token_method": provider.method(s.token_method).py_name,
            "token_field": s.token_field,
            "expires_field": s.expires_field,
        }
    if s.flow is not None:
        f = s.flow
        flow = record(
            spec.UserFlow, f.grant, f.token_url, f.client_id, authorization_url=f.authorization_url,
            device_url=f.device_url, client_secret=f.client_secret, scopes=tuple(k for k, _ in f.scopes),
            pkce=f.pkce, rows=True,
        )
        token = {"token_field": s.token_field, "expires_field": s.expires_field, "flow": flow}
    if s.refresh_field:
        token["refresh_field"] = s.refresh_field
    fields = {} if token else {"token_field": s.token_field, "expires_field": s.expires_field}  # if not default
    return record(
        spec.Scheme,
        s.name,
        s.kind,
        tuple(i.name for i in s.inputs),
        header=s.header or None,
        prefix=s.prefix,
        location=s.location,
        wire=s.wire,
        **token,
        **fields,
        options=s.options,
        keep=tuple(token),
        rows=True,
    )


def provider_spec(provider: Provider, operations: str) -> Record:
    """`operations` is the client module's name of the class whose attributes are the Operations."""
    unauthorized = provider.errors.answers.get("unauthorized")
    return record(
        spec.ProviderSpec,
        alias=provider.alias,
        title=provider.title,
        source=provider.source_file,
        environments={e.name: e.url for e in provider.environments},
        default_environment=provider.default_environment.name,
        base_url_env=provider.base_url_env,
        headers={h.name: h.value for h in provider.headers},
        schemes=Rows({s.name: scheme(provider, s) for s in provider.schemes}),
        secret_inputs=frozenset(i.name for i in provider.client_inputs if i.secret),
        models=f"opi.{provider.alias}.models",
        error_model=provider.errors.model,
        message_paths=tuple(provider.errors.message_paths),
        unauthorized_status=unauthorized.status if unauthorized else DEFAULT_UNAUTHORIZED,
        operations=Rows({m.py_name: Code(f"{operations}.{m.py_name}") for m in provider.methods}),
        rows=True,
    )


# --- the command table: opi/cli/<alias>.py -------------------------------------------------------------------


def tuples(value: Any) -> Any:
    """A JSON-like value with its lists as tuples, as the command table rows declare sequences."""
    if isinstance(value, list | tuple):
        return tuple(tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: tuples(v) for k, v in value.items()}
    return value


def parameter_option(provider: Provider, method: Method, p: Parameter) -> Record:
    element = p.type.item if p.type.is_array and p.type.item is not None else p.type
    return record(
        cli_table.Option,
        name=p.option,
        kwarg=p.py_name,
        kind=element.cli,
        label=p.type.label,
        description=terminal_text(p.description),
        required=p.required,
        default=tuples(p.default),
        has_default=p.has_default,
        env=parameter_env(provider, method, p),
        secret=p.secret,
        array=p.type.is_array,
        choices=tuples(p.type.enum),
        wire=p.wire,
        rows=True,
    )


def _own_option(name: str, kwarg: str, kind: str, description: str, **more: Any) -> Record:
    """An option that is no spec parameter: a credential (string) or the environment flag (boolean)."""
    return record(
        cli_table.Option,
        name=name,
        kwarg=kwarg,
        kind=kind,
        label=kind,
        description=terminal_text(description),
        **more,
        rows=True,
    )


def credential_option(i: Input) -> Record:
    return _own_option(i.option, i.name, "string", i.description, env=i.env, secret=i.secret)


def flag_option(provider: Provider) -> Record | None:
    flag = provider.environment_flag
    if flag is None:
        return None
    return _own_option(flag.option, flag.name, "boolean", flag.description, default=False, has_default=True)


def paging_options(method: Method) -> tuple[Record, ...]:
    """`--all` and `--max-items` for a method that pages (runtime/cli_pages.py)."""
    if method.pagination is None:
        return ()
    return tuple(
        record(cli_table.Option, name=o.name, kwarg=o.kwarg, kind=o.kind, label=o.label,
               description=o.description, rows=True)
        for o in cli_pages.OPTIONS
    )


def command(provider: Provider, method: Method) -> Record:
    ways = credential_ways(provider, method.auth)
    check_names(provider, method, {o for way in ways for o in way})
    return record(
        cli_table.Command,
        name=method.name,
        method=method.py_name,
        title=terminal_text(method.title),
        description=terminal_text(method.description),
        group=method.group,
        http=f"{method.http_method} {method.path}",
        doc_url=method.doc_url,
        options=tuple(parameter_option(provider, method, p) for p in method.parameters if not p.is_const)
        + paging_options(method) + accept_options(method),
        credentials=tuple(ways),
        rules=tuple(
            param_groups.sentence(g.rule, [f"--{p.option}" for p in method.group_params(g)])
            for g in method.parameter_groups
        ),
        rows=True,
    )


def token_flow(provider: Provider, scheme: AuthScheme) -> Record:
    method = provider.method(scheme.token_method or "")
    answer = method.success.example if method.success.has_example else {}
    return record(
        cli_table.TokenFlow,
        command=method.name,
        http=f"{method.http_method} {method.path}",
        status=method.success.status,
        answer=json.dumps(answer, sort_keys=True),
        token_field=scheme.token_field,
        rows=True,
    )


def provider_table(provider: Provider) -> Record:
    flag = provider.environment_flag
    return record(
        cli_table.ProviderTable,
        alias=provider.alias,
        title=terminal_text(provider.title),
        description=terminal_text(provider.description),
        client_module=f"opi.{provider.alias}",
        base_url_env=provider.base_url_env,
        groups=tuple(g.name for g in provider.groups),
        secret_headers=secret_headers(provider),
        secret_fields=secret_fields(provider),
        flag_environment=flag.environment if flag else "",
        environments=tuple(
            record(cli_table.Environment, e.name, e.url, terminal_text(e.description), e.default, rows=True)
            for e in provider.environments
        ),
        environment_flag=flag_option(provider),
        credentials=tuple(credential_option(i) for i in provider.client_inputs),
        token_flows=tuple(
            token_flow(provider, s) for s in provider.schemes if s.issues_tokens and s.token_method
        )
        + signing_flows(provider),
        commands=tuple(command(provider, m) for m in provider.methods),
        logins=tuple(s.name for s in provider.schemes if s.flow is not None),
        webhook_events=tuple(e.name for e in provider.webhooks.events) if provider.webhooks else (),
        keep=("token_flows",),  # written even when empty, as every table lists its token flows
        rows=True,
    )
