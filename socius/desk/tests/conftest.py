"""Desk fixtures: the plans fixtures (a PL family case held by pl_worker, two household members, an outsider)."""

from socius.plans.tests.conftest import (  # noqa: F401
    case,
    english,
    family_team,
    household,
    mother,
    outsider,
    son,
)
