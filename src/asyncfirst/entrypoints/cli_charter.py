"""``asyncfirst charter check`` and ``asyncfirst init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from asyncfirst.entrypoints.cli_common import CharterArg, JsonOpt, console, emit_json, new_app
from asyncfirst.services.charter import check_charter, load_organisation, write_starter

charter_app = new_app("charter", "Check a team charter (the working agreement as a TOML file).")


@charter_app.command("check")
def check_command(charter: CharterArg, as_json: JsonOpt = False) -> None:
    """Validate a charter; on error print one message naming file, entry and key (exit 3)."""
    summary = check_charter(charter)
    if as_json:
        emit_json(summary.to_dict())
        return
    org = load_organisation(charter)
    table = Table(title=f"{summary.organisation} — charter is valid")
    for column in ("team", "zone", "hours", "holidays", "async band", "people"):
        table.add_column(column)
    for team in org.teams:
        table.add_row(
            f"{team.name} ({team.id})",
            team.zone,
            team.hours.describe(),
            team.holidays.label() if team.holidays else "—",
            team.band.label(),
            str(summary.teams[team.id]),
        )
    console().print(table)


def init_command(
    path: Annotated[Path, typer.Argument(help="Where to write the starter charter.")] = Path(
        "charter.toml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter charter to edit for your team."""
    written = write_starter(path, force=force)
    typer.echo(f"wrote {written}; edit it, then run: asyncfirst charter check {written}")
