"""`opigen`: validate specs, generate the package, serve a contract server, export OpenAPI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .problems import SpecError


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import load_providers, report

    try:
        providers = load_providers(args.paths or [Path("specs")])
    except SpecError as exc:
        report(exc.problems)
        return 1
    print(f"{len(providers)} spec{'s' if len(providers) != 1 else ''} valid: "
          + ", ".join(p.alias for p in providers))
    return 0


def _generate(args: argparse.Namespace) -> int:
    from .pipeline import generate, report

    try:
        result = generate(args.specs, args.out, check_only=args.check)
    except SpecError as exc:
        report(exc.problems)
        return 1
    if args.check:
        if result.changed:
            print(f"{args.out} is stale; run `make generate`. Differing files:", file=sys.stderr)
            for path in result.changed[:50]:
                print(f"  {path}", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({result.files} files)")
        return 0
    if result.written:
        print(f"wrote {args.out}: {len(result.changed)} of {result.files} files changed")
    else:
        print(f"{args.out} is up to date ({result.files} files)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opigen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"opigen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check specs; print every problem as file:line:col")
    validate.add_argument("paths", nargs="*", type=Path, help="spec files or folders (default: specs/)")
    validate.set_defaults(func=_validate)

    generate = sub.add_parser("generate", help="regenerate the output tree from the specs")
    generate.add_argument("--specs", type=Path, nargs="+", default=[Path("specs")], help="spec files or folders")
    generate.add_argument("--out", type=Path, default=Path("generated"), help="output folder")
    generate.add_argument("--check", action="store_true", help="fail if the output folder is stale; write nothing")
    generate.set_defaults(func=_generate)

    from .commands import add_commands

    add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
