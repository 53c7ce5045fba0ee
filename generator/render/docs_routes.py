"""What a method page says about where its request goes (`generator/routes.py`): its own host, a URL
given as a parameter and the hosts that receive credentials, and a key in the query, path or body."""

from __future__ import annotations

from ..ir import Method, Provider
from ..routes import BODY, PATH, QUERY
from .mdx import code

_PLACES = {QUERY: "the query parameter {}", PATH: "the path segment {}", BODY: "the body field {}"}


def route_tips(provider: Provider, method: Method) -> list[str]:
    tips: list[str] = []
    if method.host:
        urls = "; ".join(f"{e.name}: {code(dict(e.hosts)[method.host])}" for e in provider.environments)
        tips.append(f"Sent to the {code(method.host)} host ({urls}), not to the API host. `base_url` and "
                    "`--base-url` send it to the same server as every other method.")
    if method.url_parameter:
        param = next(p for p in method.parameters if p.py_name == method.url_parameter)
        hosts = [e.url for e in provider.environments] + [u for e in provider.environments
                                                          for _, u in e.hosts] + list(provider.credential_hosts)
        named = ", ".join(code(h) for h in dict.fromkeys(hosts))
        tips.append(f"Sent to the URL given in {code('--' + param.option)}, an absolute URL from an earlier "
                    f"answer. Credentials go with it only to the hosts the provider names ({named}); a URL "
                    "on any other host (or scheme or port) is sent without them.")
    used = {name for alternative in method.auth for name in alternative}
    for scheme in provider.schemes:
        if scheme.name in used and scheme.wire is not None and scheme.location in _PLACES:
            shown = "{" + scheme.wire + "}" if scheme.location == PATH else scheme.wire
            option = ", ".join(code("--" + i.option) for i in scheme.inputs)
            tips.append(f"The credential {option} travels in {_PLACES[scheme.location].format(code(shown))}, "
                        "not in a header; it is masked wherever the request is shown (`--debug`, `--test`, "
                        "logs, errors).")
    return tips
