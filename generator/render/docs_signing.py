"""The `Request signing` section of a provider's landing page: one paragraph per signing auth scheme
(`generator/kinds/auth/signed.py`: what is signed, how, which headers carry it, which extra to install),
and how to give the credentials to the client and to `opi`."""

from __future__ import annotations

from ..ir import Provider
from ..kinds import AUTH
from ..kinds.auth.signed import SigningKind
from .mdx import code, fence


def landing_section(provider: Provider) -> str:
    signing = [s for s in provider.schemes if isinstance(AUTH[s.kind], SigningKind)]
    if not signing:
        return ""
    out = [
        "## Request signing",
        "",
        "The methods that use these schemes are signed by the client as each request leaves, over exactly the "
        "bytes sent; a retry is signed again, with a fresh timestamp or nonce. You give the credentials, never "
        "a signature. A method with such a scheme takes no file body (a file is streamed, and so cannot be "
        "signed).",
        "",
    ]
    for scheme in signing:
        kind = AUTH[scheme.kind]
        assert isinstance(kind, SigningKind)
        out += [f"- {kind.wording(scheme, code)}", ""]
        extra = kind.extra
        keywords = ", ".join(f'{i.name}="..."' for i in scheme.inputs)
        python = f"from opi.{provider.alias} import Client\n\nclient = Client({keywords})"
        shell = "\n".join(f"export {i.env}=..." for i in scheme.inputs)
        ticks = fence(python + shell)
        install = f"pip install 'opi-clients[{extra}]'\n" if extra else ""
        out += ["  The credentials as client keywords, or in the environment for `opi`:", "",
                f"  {ticks}python", *[f"  {line}" if line else "" for line in python.split("\n")], f"  {ticks}", "",
                f"  {ticks}sh", *[f"  {line}" for line in (install + shell).split("\n")], f"  {ticks}", ""]
    return "\n".join(out)
