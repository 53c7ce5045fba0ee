"""Where `opi <provider> login` keeps a user's tokens: the OS keyring, else a file only the user can read.

The keyring is used through the `keyring` library (the `keyring` extra) when it is installed and has a
usable backend; otherwise, or with `OPI_TOKEN_STORE=file`, the tokens go to one JSON file, mode 0600 in a
0700 folder under the user's config folder (`OPI_TOKEN_FILE` names another path, e.g. in tests). Entries
are per provider and scheme; the user is the OS user whose keyring or config folder it is.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

SERVICE = "opi"
STORE_ENV = "OPI_TOKEN_STORE"  # "file" or "keyring"
FILE_ENV = "OPI_TOKEN_FILE"

Entry = dict[str, Any]  # access_token, refresh_token, expires_at (Unix time or None), client_id


def token_file() -> Path:
    given = os.environ.get(FILE_ENV)
    if given:
        return Path(given)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "opi" / "tokens.json"


class FileStore:
    """All entries in one JSON file that only its owner can read or write."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def where(self) -> str:
        return f"the file {self.path} (readable by you only)"

    def _all(self) -> dict[str, Entry]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, Entry]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.chmod(temporary, 0o600)  # also when the file existed with looser rights
        os.replace(temporary, self.path)

    def load(self, key: str) -> Entry | None:
        found = self._all().get(key)
        return found if isinstance(found, dict) else None

    def save(self, key: str, entry: Entry) -> None:
        data = self._all()
        data[key] = entry
        self._write(data)

    def delete(self, key: str) -> bool:
        data = self._all()
        if key not in data:
            return False
        del data[key]
        self._write(data)
        return True


class KeyringStore:
    """One keyring password per provider and scheme, holding the entry as JSON."""

    def __init__(self, keyring: Any) -> None:
        self._keyring = keyring

    def where(self) -> str:
        return "the OS keyring"

    def load(self, key: str) -> Entry | None:
        text = self._keyring.get_password(SERVICE, key)
        try:
            found = json.loads(text) if text else None
        except ValueError:
            return None
        return found if isinstance(found, dict) else None

    def save(self, key: str, entry: Entry) -> None:
        self._keyring.set_password(SERVICE, key, json.dumps(entry, sort_keys=True))

    def delete(self, key: str) -> bool:
        if self._keyring.get_password(SERVICE, key) is None:
            return False
        self._keyring.delete_password(SERVICE, key)
        return True


def _keyring() -> Any | None:
    """The keyring module when it is installed and its backend can store secrets."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def store() -> FileStore | KeyringStore:
    chosen = os.environ.get(STORE_ENV, "").lower()
    found = None if chosen == "file" else _keyring()
    return KeyringStore(found) if found is not None else FileStore(token_file())


def key(alias: str, scheme: str) -> str:
    return f"{alias}/{scheme}"
