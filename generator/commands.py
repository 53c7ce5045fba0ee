"""Further `opigen` sub-commands (contract server, OpenAPI export); each registers itself here."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .problems import SpecError


def add_commands(sub: Any) -> None:
    """Add sub-commands to the `opigen` parser. `sub` is argparse's sub-parser action."""
    from .mock_command import add_parser

    add_parser(sub)
    openapi = sub.add_parser("openapi", help="write one OpenAPI 3.1 document (JSON) per provider")
    openapi.add_argument("--specs", type=Path, nargs="+", default=[Path("specs")],
                         help="spec files or folders")
    openapi.add_argument("--out", type=Path, default=Path("generated/openapi"), help="output folder")
    openapi.set_defaults(func=_openapi)


def _openapi(args: argparse.Namespace) -> int:
    from .pipeline import load_providers, report
    from .render.openapi import document, to_text

    try:
        providers = load_providers(args.specs)
    except SpecError as exc:
        report(exc.problems)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for provider in providers:
        path = args.out / f"{provider.alias}.json"
        text = to_text(document(provider))
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        print(f"{provider.alias}: {path}")
    plural = "s" if len(providers) != 1 else ""
    print(f"{len(providers)} OpenAPI document{plural} in {args.out}", file=sys.stderr)
    return 0
