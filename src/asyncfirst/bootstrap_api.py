"""The composition root of the hub service: a ``HubContext`` on the configured database.

Adapters are imported inside the functions, so importing this module (or the API's
``create_app``) connects to nothing and creates no engine.
"""

from __future__ import annotations

from collections.abc import Callable

from asyncfirst import bootstrap, bootstrap_db
from asyncfirst.analytics.privacy import PrivacyPolicy
from asyncfirst.config import Settings, settings
from asyncfirst.domain.model import Organisation
from asyncfirst.services.feeds import PersonFeed
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork
from asyncfirst.services.notifications import Transports
from asyncfirst.services.ports import Clock
from asyncfirst.services.pulse_views import PulseResults

__all__ = ["feed_ics_writer", "hub_context", "notify_transports", "report_pulses"]


def hub_context(
    org: Organisation, url: str | None = None, clock: Clock | None = None
) -> HubContext:
    """One engine for the service's life (closed by ``HubContext.close``), a unit of work per use.

    Refuses, with the command that fixes it, a database whose schema is not current.
    """
    from asyncfirst.adapters.db.engine import create_engine
    from asyncfirst.adapters.db.hub_repository import SqlHubUnitOfWork
    from asyncfirst.adapters.db.migrate import require_current

    engine = create_engine(url or bootstrap_db.database_url())
    try:
        require_current(engine)
    except BaseException:
        engine.dispose()
        raise

    def unit_of_work() -> HubUnitOfWork:
        return SqlHubUnitOfWork(engine)

    def reader() -> HubUnitOfWork:
        return SqlHubUnitOfWork(engine, read_only=True)

    return HubContext(unit_of_work, clock or bootstrap.clock(), org, engine.dispose, reader=reader)


def feed_ics_writer() -> Callable[[PersonFeed], bytes]:
    """The function that writes a person's calendar feed as iCalendar bytes."""
    from asyncfirst.adapters.ics_feed import feed_to_ics

    return feed_to_ics


def report_pulses(
    org: Organisation, policy: PrivacyPolicy, url: str | None = None
) -> dict[str, PulseResults]:
    """Each team's latest pulse from the configured database, gated (``report --with-pulses``)."""
    from asyncfirst.services.pulse_report import latest_team_pulses

    hub = hub_context(org, url)
    try:
        return latest_team_pulses(hub.unit_of_work(), hub.clock, org, policy)
    finally:
        hub.close()


def notify_transports(config: Settings | None = None) -> Transports:
    """The real transports for notifications: httpx for webhooks, SMTP when configured.

    Call ``transports.close()`` when done (it closes the HTTP connection pool).
    """
    from asyncfirst.adapters.notify.http import HttpWebhookTransport
    from asyncfirst.adapters.notify.smtp import SmtpMailTransport

    smtp = (config or settings()).smtp
    mail = None
    if smtp is not None:
        mail = SmtpMailTransport(
            smtp.host, smtp.port, smtp.sender, user=smtp.user, password=smtp.password,
            starttls=smtp.starttls,
        )  # fmt: skip
    http = HttpWebhookTransport()
    return Transports(http, mail, close=http.close)
