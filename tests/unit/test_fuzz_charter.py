"""The charter loader, fuzzed: whatever the file holds, it loads or fails with a documented error.

Three kinds of input: arbitrary text; the shipped demo charter with its lines mutated
(deleted, doubled, swapped, cut, a value replaced by a random TOML value); and the demo's
parsed mapping with a random entry replaced by a value of any TOML type. Every failure
must be an ``AsyncfirstError`` (a ``CharterError`` or an ``InputError`` naming the key),
never another exception; what loads must be an organisation whose people all belong to
one of its teams.
"""

from __future__ import annotations

import copy
import tempfile
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asyncfirst.domain.charter import organisation_from_mapping
from asyncfirst.domain.errors import AsyncfirstError
from asyncfirst.domain.model import Organisation
from asyncfirst.services.charter import load_organisation

DEMO_TEXT = resources.files("asyncfirst.data").joinpath("demo.toml").read_text("utf-8")
DEMO_LINES = DEMO_TEXT.splitlines()
DEMO = tomllib.loads(DEMO_TEXT)
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip

toml_scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "Europe/Paris", "Mars/Olympus", "09:00-17:00", "25:00-26:00",
                     "mon-fri", "sun-mon", "17:00-09:00", "0.5", "coding", "nobody", "DE", "XX"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC])),
    st.times(),
)  # fmt: skip
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def _toml(value: Any) -> str:
    """A TOML literal for ``value`` (inline tables and arrays), or a broken one."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)


def check(load: Any) -> Organisation | None:
    """Run ``load``: an organisation, or ``None`` after a documented error."""
    try:
        org = load()
    except AsyncfirstError as error:
        assert error.message.strip(), "an error without a message"
        return None
    assert isinstance(org, Organisation)
    team_ids = {team.id for team in org.teams}
    assert all(person.team_id in team_ids for person in org.people)
    return org


@pytest.fixture(scope="module")
def charter_file() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "charter.toml"


def load_text(path: Path, text: str) -> Organisation | None:
    path.write_text(text, "utf-8")
    return check(lambda: load_organisation(str(path)))


def test_the_demo_itself_loads(charter_file: Path) -> None:
    org = load_text(charter_file, DEMO_TEXT)
    assert org is not None and len(org.people) == 15


@FUZZ
@given(text=st.text(max_size=400))
def test_arbitrary_text(charter_file: Path, text: str) -> None:
    load_text(charter_file, text)


@FUZZ
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes(charter_file: Path, raw: bytes) -> None:
    charter_file.write_bytes(raw)
    check(lambda: load_organisation(str(charter_file)))


@st.composite
def mutated_demo(draw: st.DrawFn) -> str:
    lines = list(DEMO_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "double", "swap", "value", "key", "cut", "junk"]))
        if kind == "delete":
            del lines[i]
        elif kind == "double":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = f"{key}= {_toml(draw(toml_values))}"
        elif kind == "key" and "=" in lines[i]:
            value = lines[i].split("=", 1)[1]
            lines[i] = f"{draw(st.from_regex(r'[a-z_]{1,12}', fullmatch=True))} ={value}"
        elif kind == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            lines.insert(i, draw(st.text(max_size=20)))
        if not lines:
            break
    return "\n".join(lines)


@FUZZ
@given(text=mutated_demo())
def test_mutated_demo_charter(charter_file: Path, text: str) -> None:
    load_text(charter_file, text)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


DEMO_PATHS = [path for path in _paths(DEMO) if path]


@st.composite
def mutated_mapping(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(DEMO)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(DEMO_PATHS))
        parent: Any = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            if draw(st.booleans()) or not isinstance(parent, dict):
                parent[path[-1]] = draw(toml_values)
            else:
                del parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    return data


@FUZZ
@given(data=mutated_mapping())
def test_mutated_demo_mapping(data: dict[str, Any]) -> None:
    check(lambda: organisation_from_mapping(data, "fuzzed.toml"))
