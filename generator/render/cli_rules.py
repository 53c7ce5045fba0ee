"""What the `opi` command tables say beyond the IR: which credentials suffice, where values may come from,
which names are secret, and help text that is safe on a terminal."""

from __future__ import annotations

from ..ir import Location, Method, Parameter, Provider
from ..names import RESERVED_CLI_OPTIONS
from ..runtime.cli_table import terminal_safe

_AUTH_HEADERS = ("Authorization",)


def terminal_text(text: str) -> str:
    """Spec text for the CLI's help: one line, and every character that would act on the terminal escaped."""
    return terminal_safe(" ".join(text.split()))


def credential_ways(
    provider: Provider, auth: tuple[tuple[str, ...], ...], seen: frozenset[str] = frozenset()
) -> list[tuple[str, ...]]:
    """The sets of credential options that satisfy `auth` (alternatives of scheme names).

    An OAuth scheme is satisfied by its token, or by what its token method needs: that method's required
    parameters the client takes as keywords, plus the credentials of the token method's own auth.
    """
    schemes = {s.name: s for s in provider.schemes}
    inputs = {i.name: i for i in provider.client_inputs}
    ways: list[tuple[str, ...]] = []
    for alternative in auth:
        combos: list[tuple[str, ...]] = [()]
        for name in alternative:
            scheme = schemes[name]
            options = [tuple(i.option for i in scheme.inputs)]
            if scheme.flow is not None:  # a user flow: its access token, or its refresh token and client id
                by_name = {i.name: i.option for i in scheme.inputs}
                options = [(scheme.inputs[0].option,), (scheme.inputs[1].option, by_name[scheme.flow.client_id])]
            if scheme.issues_tokens and scheme.token_method and scheme.token_method not in seen:
                token = provider.method(scheme.token_method)
                own = tuple(
                    inputs[p.py_name].option
                    for p in token.parameters
                    if p.required and not p.is_const and p.py_name in inputs
                )
                deeper = credential_ways(provider, token.auth, seen | {scheme.token_method})
                options += [own + more for more in deeper or [()]]
            combos = [c + o for c in combos for o in options]
        ways += [tuple(dict.fromkeys(c)) for c in combos]
    return list(dict.fromkeys(ways))


def check_names(provider: Provider, method: Method, credentials: set[str]) -> None:
    """A backstop for the spec check: no parameter option may shadow a standard option or a credential."""
    flag = {provider.environment_flag.option} if provider.environment_flag else set()
    names: set[str] = set()
    for p in method.parameters:
        if p.is_const:
            continue
        clash = {p.option} & (RESERVED_CLI_OPTIONS | credentials | flag | names)
        if clash:
            raise ValueError(
                f"{provider.source_file}: {method.name}: CLI option --{p.option} is already taken "
                f"(standard option, credential or another parameter); set `cli:` on the parameter"
            )
        names.add(p.option)


def parameter_env(provider: Provider, method: Method, p: Parameter) -> str:
    """Secrets come from the environment; so do a token method's parameters that are client credentials
    (the same variables then serve the token method and the automatic token fetch)."""
    if method.name in {s.token_method for s in provider.schemes}:
        same = next((i for i in provider.client_inputs if i.name == p.py_name), None)
        if same is not None:
            return same.env
    return p.env if p.secret else ""


def secret_headers(provider: Provider) -> tuple[str, ...]:
    names = [*_AUTH_HEADERS, *(s.header for s in provider.schemes if s.header)]
    names += [
        p.wire for m in provider.methods for p in m.parameters if p.secret and p.location is Location.HEADER
    ]
    return tuple(dict.fromkeys(n.lower() for n in names))


def secret_fields(provider: Provider) -> tuple[str, ...]:
    names = [s.token_field for s in provider.schemes if s.issues_tokens]
    names += [p.wire for m in provider.methods for p in m.parameters if p.secret]
    return tuple(dict.fromkeys(names))
