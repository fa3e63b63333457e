"""``asyncfirst serve``: the hub's REST API on the configured database (SQLite by default).

On first start with an empty database it loads the demo organisation, a few demo threads
and roles, and prints a token for the demo admin once. Later starts use the charter last
applied to the database (or ``--charter``) to count each recipient's working time. While
it runs, open decisions past their decide-by are escalated every minute.
"""

from __future__ import annotations

from typing import Annotated

import typer

from asyncfirst import bootstrap_api, bootstrap_db
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.hub_demo import applied_source, seed_demo

__all__ = ["ESCALATE_EVERY_SECONDS", "serve_command"]

ESCALATE_EVERY_SECONDS = 60

HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
CharterOpt = Annotated[
    str | None,
    typer.Option(
        "--charter",
        help='Charter for working times (file or "demo"); default: the one last applied.',
        show_default=False,
    ),
]


def _base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve_command(
    host: HostOpt = "127.0.0.1", port: PortOpt = 8000, charter: CharterOpt = None
) -> None:
    """Start the hub's REST API (OpenAPI at /docs); an empty database gets the demo."""
    import uvicorn

    from asyncfirst.entrypoints.api.app import create_app

    url = bootstrap_db.database_url()
    shown, _before, revision = bootstrap_db.upgrade_database(url)
    stored = applied_source(bootstrap_db.charter_unit_of_work(url))
    source = charter or stored or "demo"
    org = load_organisation(source)
    hub = bootstrap_api.hub_context(org, url)
    try:
        issued = (
            None
            if stored is not None
            else seed_demo(bootstrap_db.charter_unit_of_work(url), hub, org)
        )
    except BaseException:
        hub.close()
        raise
    base = _base_url(host, port)
    typer.echo(f"asyncfirst hub on {base}  (API docs: {base}/docs)")
    typer.echo(f"database {shown} at schema {revision}; charter {source} ({org.name})")
    if issued is not None:
        typer.echo("empty database: loaded the demo organisation and a few threads")
        typer.echo(f"demo admin token for {issued.person} (shown once, keep it): {issued.token}")
    typer.echo(f"escalating stalled decisions every {ESCALATE_EVERY_SECONDS} s")
    app = create_app(hub, escalate_every_seconds=ESCALATE_EVERY_SECONDS)
    uvicorn.run(app, host=host, port=port, log_level="info")
