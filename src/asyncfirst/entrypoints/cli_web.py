"""``asyncfirst user set-password PERSON`` and ``asyncfirst user issue-token PERSON``.

Both act for the operator on the server: the API lets nobody mint another person's
credential (it would read their private mood), so a newcomer's first password or token
comes from here.

The password is never an argument (it would land in the shell's history); it is asked
twice and stored only as an argon2 hash. Setting it signs the person out of every web
session they had.
"""

from __future__ import annotations

from typing import Annotated

import typer

from asyncfirst import bootstrap_api
from asyncfirst.domain.model import Organisation
from asyncfirst.services.tokens import issue_token
from asyncfirst.services.web_sessions import MIN_PASSWORD, set_password

__all__ = ["issue_token_command", "set_password_command"]

PersonArg = Annotated[str, typer.Argument(help="The person's charter id, e.g. kenji.")]


def set_password_command(person: PersonArg) -> None:
    """Set PERSON's password for the web app (asked at a hidden prompt, twice)."""
    password = typer.prompt(
        f"New password for {person} (at least {MIN_PASSWORD} characters)",
        hide_input=True,
        confirmation_prompt=True,
    )
    # The use case reads only the stored people, not the charter's rules.
    hub = bootstrap_api.hub_context(Organisation("", (), ()))
    try:
        revoked = set_password(hub.unit_of_work(), hub.clock, person, password)
    finally:
        hub.close()
    ended = f"; signed out of {revoked} web session(s)" if revoked else ""
    typer.echo(f"password set for {person}{ended}")


def issue_token_command(person: PersonArg) -> None:
    """Issue a personal API token for PERSON (printed once; also signs in on the web)."""
    hub = bootstrap_api.hub_context(Organisation("", (), ()))
    try:
        issued = issue_token(hub.unit_of_work(), hub.clock, person)
    finally:
        hub.close()
    typer.echo(f"token for {issued.person} (shown once, keep it): {issued.token}")
