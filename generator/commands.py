"""Further `opigen` sub-commands (contract server, OpenAPI export); each registers itself here."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(sub: Any) -> None:
    """Add sub-commands to the `opigen` parser. `sub` is argparse's sub-parser action."""
    _ = (sub, argparse)
