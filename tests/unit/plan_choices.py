"""A plan read back as the planner's choices, for tests that recount its objective."""

from __future__ import annotations

from asyncfirst.scheduling.plan import Plan
from asyncfirst.scheduling.week_model import Choice
from asyncfirst.scheduling.week_table import WeekInput


def choices_of(plan: Plan, week: WeekInput) -> list[Choice]:
    """Each placement of ``plan`` as (its table, its start, the optional people present)."""
    tables = {t.request.id: t for t in week.tables}
    result: list[Choice] = []
    for p in plan.placements:
        table = tables[p.request_id]
        option = next(o for o in table.options if o.start == p.start)
        result.append((table, option, tuple(a for a in p.attendees if a not in table.required)))
    return result
