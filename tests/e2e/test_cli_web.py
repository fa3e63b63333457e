"""``asyncfirst user set-password`` and ``asyncfirst user issue-token`` on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.config import settings
from asyncfirst.domain.model import Organisation
from asyncfirst.entrypoints.cli_common import new_app
from asyncfirst.entrypoints.cli_web import issue_token_command, set_password_command
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.tokens import authenticate
from asyncfirst.services.web_sessions import sign_in_with_password

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test password


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_org: Organisation) -> str:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    monkeypatch.setenv("ASYNCFIRST_DATABASE_URL", url)
    settings.cache_clear()
    bootstrap_db.upgrade_database(url)
    apply_charter(demo_org, "demo", uow=bootstrap_db.charter_unit_of_work(url),
                  clock=bootstrap.clock(), changed_by="tests")  # fmt: skip
    yield url
    settings.cache_clear()


def _app() -> typer.Typer:
    app = new_app("user", "People's web sign-in.")
    app.callback()(lambda: None)  # a group, as under ``asyncfirst user``
    app.command("set-password")(set_password_command)
    app.command("issue-token")(issue_token_command)
    return app


def test_set_password_from_a_hidden_prompt(database: str, demo_org: Organisation) -> None:
    result = CliRunner().invoke(
        _app(), ["set-password", "kenji"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "password set for kenji" in result.output and PASSWORD not in result.output
    hub = bootstrap_api.hub_context(demo_org, database)
    try:
        session = sign_in_with_password(hub.unit_of_work(), hub.clock, "kenji", PASSWORD)
    finally:
        hub.close()
    assert session.signed_in.key == "kenji"


def test_a_short_password_or_unknown_person_exits_3_with_the_reason(database: str) -> None:
    short = CliRunner().invoke(_app(), ["set-password", "kenji"], input="short\nshort\n")
    assert short.exit_code == 3 and "at least 10 characters" in short.output
    ghost = CliRunner().invoke(_app(), ["set-password", "ghost"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert ghost.exit_code == 3 and 'person "ghost" not found' in ghost.output


def test_issue_token_prints_a_working_token_once(database: str, demo_org: Organisation) -> None:
    result = CliRunner().invoke(_app(), ["issue-token", "chloe"])
    assert result.exit_code == 0, result.output
    token = result.output.rsplit(": ", 1)[1].strip()
    assert token.startswith("afk_")
    hub = bootstrap_api.hub_context(demo_org, database)
    try:
        actor = authenticate(hub.unit_of_work(), hub.clock, token)
    finally:
        hub.close()
    assert actor.person_id == "chloe"
    ghost = CliRunner().invoke(_app(), ["issue-token", "ghost"])
    assert ghost.exit_code == 3 and 'person "ghost" not found' in ghost.output
