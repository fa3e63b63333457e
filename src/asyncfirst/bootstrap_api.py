"""The composition root of the hub service: a ``HubContext`` on the configured database.

Adapters are imported inside the functions, so importing this module (or the API's
``create_app``) connects to nothing and creates no engine.
"""

from __future__ import annotations

from asyncfirst import bootstrap, bootstrap_db
from asyncfirst.domain.model import Organisation
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork
from asyncfirst.services.ports import Clock

__all__ = ["hub_context"]


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

    return HubContext(unit_of_work, clock or bootstrap.clock(), org, engine.dispose)
