"""Shared fixtures: the demo organisation and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from asyncfirst.domain.model import Organisation
from asyncfirst.services.charter import load_organisation

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def demo_org() -> Organisation:
    return load_organisation("demo")
