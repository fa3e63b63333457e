"""Coffee choices and drawn rounds on SQLite and PostgreSQL, through the hub's unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from asyncfirst.services.access import Actor
from asyncfirst.services.coffee_ports import StoredGroup
from asyncfirst.services.coffee_view import coffee_page, ensure_round, set_coffee
from asyncfirst.services.hub_ports import HubContext

AT = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)


def test_choices_are_kept_per_person_and_replaced(hub: HubContext) -> None:
    with hub.unit_of_work() as uow:
        uow.coffee.set_preference("noah", True, None, AT)
        uow.coffee.set_preference("kenji", True, date(2026, 12, 7), AT)
        uow.coffee.set_preference("noah", False, None, AT + timedelta(hours=1))
        uow.commit()
    with hub.unit_of_work() as uow:
        prefs = uow.coffee.preferences()
    assert set(prefs) == {"noah", "kenji"}
    assert prefs["noah"].opted_in is False
    assert prefs["noah"].updated_at == AT + timedelta(hours=1)
    assert prefs["kenji"].paused_until == date(2026, 12, 7)


def test_rounds_keep_groups_slots_and_order_and_are_drawn_once(hub: HubContext) -> None:
    start = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
    first = [
        StoredGroup(("amelie", "kenji"), start, start + timedelta(minutes=30)),
        StoredGroup(("maria", "yuki", "david"), None, None),
    ]
    with hub.unit_of_work() as uow:
        uow.coffee.save_round(date(2026, 11, 16), first, AT)
        uow.coffee.save_round(
            date(2026, 11, 23), [StoredGroup(("amelie", "maria"), None, None)], AT
        )
        uow.coffee.save_round(date(2026, 11, 16), [StoredGroup(("ava", "ren"), None, None)], AT)
        uow.commit()
    with hub.unit_of_work() as uow:
        rounds = uow.coffee.rounds()
        before = uow.coffee.rounds(before=date(2026, 11, 23))
        missing = uow.coffee.round_of(date(2026, 11, 30))
    assert [r.week for r in rounds] == [date(2026, 11, 16), date(2026, 11, 23)]
    assert rounds[0].groups == tuple(first)  # the second save of that week changed nothing
    assert [r.week for r in before] == [date(2026, 11, 16)]
    assert missing is None


def test_past_pairings_and_a_drawn_round_on_the_page(hub: HubContext) -> None:
    with hub.unit_of_work() as uow:
        uow.coffee.save_round(
            date(2026, 11, 16), [StoredGroup(("amelie", "kenji"), None, None)], AT
        )
        uow.commit()
    week = date(2026, 11, 23)  # the Monday after Friday 20 November in Paris
    drawn = ensure_round(hub, week)
    assert drawn.week == week and drawn.groups
    assert ensure_round(hub, week) == drawn  # stored: the same for everyone all week
    page = coffee_page(hub, Actor("amelie"))
    assert page.next_week == week
    assert [p.week for p in page.past] == [date(2026, 11, 16)]
    assert [x.name for x in page.past[0].partners] == ["Kenji Sato"]
    set_coffee(hub.unit_of_work(), hub.clock, hub.org, Actor("amelie"), opted_in=False)
    assert coffee_page(hub, Actor("amelie")).status.text.startswith("You are not taking part")
