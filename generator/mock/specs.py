"""Finding one provider's spec by alias, tolerating other specs that are being edited."""

from __future__ import annotations

from pathlib import Path

from ..ir import Provider
from ..problems import Problem, SpecError
from ..specs import load_providers, spec_files


def load_all(specs_dir: Path) -> list[Provider]:
    return load_providers([specs_dir])


def find_provider(alias: str, specs_dir: Path) -> Provider:
    """The provider with this alias. A broken spec matters only if the wanted one is not found."""
    problems: list[Problem] = []
    aliases: list[str] = []
    for path in spec_files([specs_dir]):
        try:
            providers = load_providers([path])
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        for provider in providers:
            if provider.alias == alias:
                return provider
            aliases.append(provider.alias)
    known = ", ".join(sorted(aliases)) or "none"
    problems.append(Problem(str(specs_dir), 1, 1, f"no spec with alias '{alias}' (valid specs: {known})"))
    raise SpecError(problems)
