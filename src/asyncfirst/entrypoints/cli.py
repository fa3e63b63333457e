"""The ``asyncfirst`` command line: parse, call a use case, format. No business rules here.

Each command lives in a ``cli_*`` module; this one assembles them. Exit codes: 0 success,
2 usage error (from click), 3 invalid charter or input (any ``AsyncfirstError``).
"""

from __future__ import annotations

from asyncfirst.entrypoints import (
    cli_calendar,
    cli_charter,
    cli_coffee,
    cli_db,
    cli_demo,
    cli_plan,
    cli_report,
    cli_route,
    cli_series,
    cli_serve,
    cli_slots,
    cli_time,
    cli_web,
    cli_worker,
)
from asyncfirst.entrypoints.cli_common import new_app

__all__ = ["app", "main"]

app = new_app(
    "asyncfirst",
    "Async-first work across time zones: working time, fair slots, routing, balance.",
)
app.add_typer(cli_demo.demo_app, name="demo")
app.command("overlap")(cli_time.overlap_command)
app.command("respond-by")(cli_time.respond_by_command)
app.command("slots")(cli_slots.slots_command)
app.command("route")(cli_route.route_command)
app.command("report")(cli_report.report_command)
app.command("coffee")(cli_coffee.coffee_command)
app.command("pair")(cli_coffee.coffee_command)  # the issue's name for coffee pairing
app.command("plan")(cli_plan.plan_command)
app.command("series")(cli_series.series_command)
app.command("serve")(cli_serve.serve_command)
app.command("worker")(cli_worker.worker_command)
app.command("init")(cli_charter.init_command)
app.add_typer(cli_charter.charter_app, name="charter")
app.add_typer(cli_calendar.calendar_app, name="calendar")
app.add_typer(cli_db.db_app, name="db")
cli_charter.charter_app.command("apply")(cli_db.charter_apply_command)
cli_charter.charter_app.command("history")(cli_db.charter_history_command)
user_app = new_app("user", "People's credentials, set by the operator: passwords, tokens.")
user_app.command("set-password")(cli_web.set_password_command)
user_app.command("issue-token")(cli_web.issue_token_command)
app.add_typer(user_app, name="user")


def main() -> None:
    """Console-script entry point."""
    app()
