"""Use cases around the charter file: load it, check it, write a starter."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from asyncfirst.domain.charter import organisation_from_mapping
from asyncfirst.domain.errors import CharterError, InputError
from asyncfirst.domain.model import Organisation

__all__ = [
    "CharterSummary",
    "check_charter",
    "load_organisation",
    "starter_charter",
    "write_starter",
]

DEMO = "demo"
_DUPLICATE = "Cannot declare ('people', '"


def _read(source: str) -> tuple[str, str]:
    """(display name, text) of a charter path or the shipped ``demo``."""
    if source == DEMO:
        return "demo.toml", resources.files("asyncfirst.data").joinpath("demo.toml").read_text(
            "utf-8"
        )
    path = Path(source)
    if not path.exists():
        raise CharterError(f"{source}: no such file (give a charter path, or 'demo')", path=source)
    if path.is_dir():
        raise CharterError(f"{source}: is a folder; give the charter's .toml file", path=source)
    try:
        return path.name, path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise CharterError(f"{source}: not UTF-8 text ({exc.reason})", path=source) from exc
    except OSError as exc:
        raise CharterError(f"{source}: cannot be read ({exc.strerror})", path=source) from exc


def _parse(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if message.startswith(_DUPLICATE):
            person = message[len(_DUPLICATE) :].split("'", 1)[0]
            raise CharterError(f'{name}: duplicate person "{person}" ({message})') from exc
        raise CharterError(f"{name}: not valid TOML: {message}") from exc


def load_organisation(source: str) -> Organisation:
    """The organisation of a charter file, or of the shipped demo when ``source`` is "demo"."""
    name, text = _read(source)
    return organisation_from_mapping(_parse(name, text), name)


@dataclass(frozen=True)
class CharterSummary:
    source: str
    organisation: str
    teams: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"valid": True, "source": self.source, "organisation": self.organisation,
                "teams": self.teams, "people": sum(self.teams.values())}  # fmt: skip


def check_charter(source: str) -> CharterSummary:
    org = load_organisation(source)
    return CharterSummary(source, org.name, {t.id: len(org.members(t.id)) for t in org.teams})


def starter_charter() -> str:
    return resources.files("asyncfirst.data").joinpath("starter.toml").read_text("utf-8")


def write_starter(path: Path, *, force: bool = False) -> Path:
    """Write the commented starter charter; never overwrite a file unless asked."""
    if path.exists() and not force:
        raise InputError(f"{path}: already exists; pass --force to overwrite it", path=str(path))
    path.write_text(starter_charter(), encoding="utf-8")
    return path
