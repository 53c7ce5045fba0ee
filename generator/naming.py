"""The names one spec gives rise to, derived once: the checker tests them, the model puts them in the IR.

Both read the same `SpecNames`, so a name the checker passed is exactly the name the generated code uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .kinds import AUTH
from .names import env_var, kebab, snake

ERROR_MODEL = "ErrorBody"  # the model of an inline error schema


@dataclass(frozen=True)
class InputName:
    """One credential of an auth scheme: a client keyword, a CLI option and an environment variable."""

    scheme: str
    role: str
    name: str  # the Python keyword: the spec's `name`, else the role
    option: str
    env: str
    spec: dict[str, Any]

    @property
    def path(self) -> tuple[str, ...]:
        return ("auth", "schemes", self.scheme, self.role)


@dataclass(frozen=True)
class ParamName:
    py: str
    option: str  # the spec's `cli`, else the kebab-case name
    env: str
    wire: str  # the spec's `field`, else the name


@dataclass(frozen=True)
class MethodName:
    name: str
    py: str
    params: tuple[ParamName, ...]
    params_model: str  # the model of its path, query and header parameters (when it has any)
    body_model: str | None
    response_model: str  # the model of an inline 2xx answer


@dataclass(frozen=True)
class SpecNames:
    inputs: tuple[InputName, ...]
    methods: tuple[MethodName, ...]
    token_methods: frozenset[str]  # methods the client calls for a token
    flag_option: str  # the environment flag's CLI option; "" without a flag
    base_url_env: str

    @classmethod
    def of(cls, data: dict[str, Any]) -> SpecNames:
        """The names of a document the format schema passed."""
        alias: str = data["provider"]["alias"]
        schemes: dict[str, Any] = data["auth"]["schemes"]
        inputs = []
        for scheme_name, scheme in schemes.items():
            for role in AUTH[scheme["type"]].roles:
                if role not in scheme:  # an optional role the spec leaves out (a public client's secret)
                    continue
                name = scheme[role].get("name", role)
                option = kebab(name)
                env = env_var(alias, option)
                inputs.append(InputName(scheme_name, role, name, option, env, scheme[role]))
        flag = data.get("environment_flag")
        return cls(
            inputs=tuple(inputs),
            methods=tuple(_method(alias, m) for m in data["methods"]),
            token_methods=frozenset(s["token_method"] for s in schemes.values() if "token_method" in s),
            flag_option=kebab(flag["name"]) if flag else "",
            base_url_env=env_var(alias, "base-url"),
        )

    def scheme_inputs(self, scheme: str) -> tuple[InputName, ...]:
        return tuple(i for i in self.inputs if i.scheme == scheme)


def _method(alias: str, method: dict[str, Any]) -> MethodName:
    name: str = method["name"]
    params = []
    for p in method.get("parameters") or []:
        option = p.get("cli", kebab(p["name"]))
        params.append(ParamName(snake(p["name"]), option, env_var(alias, option), p.get("field", p["name"])))
    body = method.get("body")
    return MethodName(
        name=name, py=snake(name), params=tuple(params), params_model=f"{name}Params",
        body_model=str(body["model"]) if body else None, response_model=f"{name}Response",
    )
