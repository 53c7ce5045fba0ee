"""Adding a provider never means editing tests: the generic suites pass on specs they have never seen.

The project (generator/, templates/, specs/, tests/, pyproject.toml) is copied into a temporary folder, the
synthetic specs of tests/extra_specs/ (bearer, basic, api_key with a prefix, OAuth2 with a token method;
other error envelopes, message paths and statuses; JSON and form bodies; an idempotency-key write and a
unique-field write with its lookup) and a seed spec under another alias are added to its specs/,
`opigen generate` writes its generated/, and the generic suites run there in a pytest of their own, with
`generator` and `opi` resolving to the copy. Any failure there fails this test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from provider_support import ROOT, SEEDS

EXTRA = ROOT / "tests" / "extra_specs"
COPIED = ("generator", "templates", "specs", "tests", "pyproject.toml")
SEED_COPY = (SEEDS[0], "zzseedcopy")  # a seed spec dropped in again under this alias (and title)

# The suites that parametrize over whatever specs/ holds: the one list of "generic" test files. Each runs in
# the copy for the new providers only (--providers): the seed providers are covered by the main run.
GENERIC = (
    "tests/test_client_methods.py",
    "tests/test_client_package.py",
    "tests/test_cli_help.py",
    "tests/test_cli_methods.py",
    "tests/test_docs_structure.py",
    "tests/test_docs_examples.py",
    "tests/test_openapi.py",
    "tests/test_mock_contract.py",
    "tests/test_mock_faults.py",
    "tests/test_fault_matrix.py",
    "tests/test_money_safety.py",
    "tests/test_secrets_scan.py",
)


def _extra_specs() -> list[Path]:
    return sorted(EXTRA.glob("*.yaml"))


def _copy_project(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc", "node_modules")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _seed_copy(specs: Path) -> str:
    """The first seed's spec under a new alias. Its title changes too (and names the alias, so it is unique):
    docs folders follow titles, and two providers with one title would share a folder."""
    seed, alias = SEED_COPY
    data = yaml.safe_load((ROOT / "specs" / f"{seed}.yaml").read_text(encoding="utf-8"))
    data["provider"]["alias"] = alias
    data["provider"]["title"] = f"{data['provider']['title']} as {alias}"
    (specs / f"{alias}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    return alias


def _env(copy: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPI_", "PYTEST_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(copy), str(copy / "generated")])
    return env


def test_generic_list_is_well_formed() -> None:
    assert Path(__file__).relative_to(ROOT).as_posix() not in GENERIC  # never recurses into itself
    for name in GENERIC:
        assert (ROOT / name).is_file(), name
    assert len(set(GENERIC)) == len(GENERIC)


def test_extra_specs_are_valid_and_new() -> None:
    """Each synthetic spec validates on its own and declares an alias no spec of specs/ uses."""
    specs = _extra_specs()
    assert len(specs) >= 4
    taken = {yaml.safe_load(p.read_text(encoding="utf-8"))["provider"]["alias"] for p in (ROOT / "specs").glob("*.yaml")}
    for spec in specs:
        alias = yaml.safe_load(spec.read_text(encoding="utf-8"))["provider"]["alias"]
        assert alias == spec.stem and alias not in taken
        run = subprocess.run([str(Path(sys.executable).with_name("opigen")), "validate", str(spec)],
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.timeout(420)
def test_generic_suites_pass_with_extra_specs(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    copy.mkdir()
    _copy_project(copy)
    new = [spec.stem for spec in _extra_specs()]
    for spec in _extra_specs():
        shutil.copy2(spec, copy / "specs" / spec.name)
    new.append(_seed_copy(copy / "specs"))
    env = _env(copy)

    generate = subprocess.run([sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main())",
                               "generate"], cwd=copy, env=env, capture_output=True, text=True, timeout=180)
    assert generate.returncode == 0, generate.stdout + generate.stderr
    for alias in new:
        assert (copy / "generated" / "opi" / alias / "__init__.py").is_file(), alias

    # `generator` and `opi` must come from the copy, not from this checkout.
    where = subprocess.run([sys.executable, "-c", "import generator, opi; print(generator.__file__); "
                            f"import opi.{new[0]} as p; print(p.__file__)"],
                           cwd=copy, env=env, capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    assert all(line.startswith(str(copy)) for line in where.stdout.split()), where.stdout

    suites = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-rA", "-p", "no:cacheprovider",
         "--providers", ",".join(new), *GENERIC],
        cwd=copy, env=env, capture_output=True, text=True, timeout=400,
    )
    output = suites.stdout + suites.stderr
    failures = "\n".join(line for line in output.splitlines() if line.startswith(("FAILED", "ERROR")))
    assert suites.returncode == 0, failures + "\n" + output[-12000:]
    summary = output.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and not re.search(r"failed|error|skipped|xfail", summary), summary
    # Every new provider was exercised by the parametrized suites.
    passed = [line for line in output.splitlines() if line.startswith("PASSED")]
    for alias in new:
        ran = [line for line in passed if f"[{alias}-" in line or f"[{alias}]" in line]
        assert len(ran) >= 20, (alias, len(ran))
