"""``asyncfirst db upgrade|info|backup|restore`` and ``asyncfirst charter apply|history``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from asyncfirst import bootstrap, bootstrap_db
from asyncfirst.entrypoints.cli_common import CharterArg, JsonOpt, emit_json, new_app
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.charter_sync import apply_charter, policy_history

__all__ = ["charter_apply_command", "charter_history_command", "db_app"]

db_app = new_app("db", "The database: run its migrations and see what it holds.")

ByOpt = Annotated[
    str,
    typer.Option("--by", envvar="USER", show_envvar=True, help="Who applies the charter."),
]
ReasonOpt = Annotated[
    str | None,
    typer.Option("--reason", help="Why: kept with each policy change in the history."),
]
FileArg = Annotated[Path, typer.Argument(help="The backup file.", show_default=False)]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Overwrite what is there (the file, or the database).")
]
TeamArg = Annotated[
    str | None, typer.Argument(help="A team id; every team when left out.", show_default=False)
]


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Create or migrate the database's tables to this version of asyncfirst."""
    url, before, after = bootstrap_db.upgrade_database()
    if before == after:
        typer.echo(f"database {url}: already at schema {after}; nothing to do")
    else:
        typer.echo(f"database {url}: upgraded from {before or 'empty'} to schema {after}")


@db_app.command("info")
def info_command(as_json: JsonOpt = False) -> None:
    """Where the database is (password hidden), its schema revision and what it holds."""
    info = bootstrap_db.database_info()
    if as_json:
        emit_json(info.to_dict())
        return
    typer.echo(f"database  {info.url} ({info.backend})")
    if not info.up_to_date:
        state = "empty" if info.revision is None else f"at {info.revision}"
        typer.echo(f"schema    {state}, needs {info.head}; run: asyncfirst db upgrade")
        return
    c = info.counts
    typer.echo(f"schema    {info.revision} (current)")
    typer.echo(
        f"holds     {c['organisations']} organisation(s), {c['teams']} team(s) "
        f"({c['teams_inactive']} inactive), {c['people']} people ({c['people_inactive']} inactive)"
    )
    typer.echo(f"history   {c['policy_changes']} policy change(s), {c['charter_applies']} apply(s)")
    if info.last_apply:
        last = info.last_apply
        typer.echo(f"last      {last['source']} by {last['applied_by']} at {last['applied_at']}")


@db_app.command("backup")
def backup_command(file: FileArg, force: ForceOpt = False, as_json: JsonOpt = False) -> None:
    """Copy the whole database to FILE; safe while the server runs (SQLite) or via pg_dump."""
    result = bootstrap_db.backup_database(file, force=force)
    if as_json:
        emit_json(result.to_dict())
        return
    typer.echo(
        f"backed up {result.database} (schema {result.revision}) to {result.file} "
        f"({result.size_bytes} bytes)"
    )


@db_app.command("restore")
def restore_command(file: FileArg, force: ForceOpt = False, as_json: JsonOpt = False) -> None:
    """Replace the database with the backup in FILE (stop the server first); whole or not at all."""
    result = bootstrap_db.restore_database(file, force=force)
    if as_json:
        emit_json(result.to_dict())
        return
    typer.echo(f"restored {result.database} from {result.file} (schema {result.revision})")
    if result.needs_upgrade:
        typer.echo(
            f"the backup is older than this asyncfirst ({result.head}); run: asyncfirst db upgrade"
        )


def charter_apply_command(
    charter: CharterArg, by: ByOpt = "", reason: ReasonOpt = None, as_json: JsonOpt = False
) -> None:
    """Load a charter into the database; a second apply changes nothing and says so."""
    org = load_organisation(charter)
    result = apply_charter(
        org,
        charter,
        uow=bootstrap_db.charter_unit_of_work(),
        clock=bootstrap.clock(),
        changed_by=by,
        reason=reason,
    )
    if as_json:
        emit_json(result.to_dict())
        return
    if result.unchanged:
        typer.echo(f"{charter} ({result.organisation}): already applied; nothing changed")
        return
    lines = result.diff.lines()
    typer.echo(f"applied {charter} ({result.organisation}) by {by.strip()}: {len(lines)} change(s)")
    for line in lines:
        typer.echo(f"  {line}")


def charter_history_command(team: TeamArg = None, as_json: JsonOpt = False) -> None:
    """Who changed a team's band, deadlines, alignment or sync kinds, when and why."""
    changes = policy_history(bootstrap_db.charter_unit_of_work(), team)
    if as_json:
        emit_json([change.to_dict() for change in changes])
        return
    if not changes:
        typer.echo("no policy changes recorded" + (f' for team "{team}"' if team else ""))
        return
    for c in changes:
        when = c.changed_at.strftime("%Y-%m-%d %H:%M UTC")
        old = c.old if c.old is not None else "(new team)"
        why = f" — {c.reason}" if c.reason else ""
        typer.echo(f'{when}  team "{c.team}": {c.field} {old} → {c.new}  by {c.changed_by}{why}')
