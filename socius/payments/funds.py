"""Funds, their allocations and amendments, which fund each benefit draws on, and commitments: what an
approved decision or transfer reserves on its fund, refused with nothing written when the fund has too
little (row locks on the fund on PostgreSQL). The fund statement reads here too."""

from __future__ import annotations

from collections.abc import Sequence


def on_decisions_approved(decisions: Sequence) -> None:
    """The benefits approval hook (socius.benefits.hooks): commit each approved grant or amendment on its
    benefit's fund for its period (to the end of the year when open-ended), shorten the commitment of a
    grant that a suspension, revocation, ending or amendment stops, and commit again on resumption. Raises
    BudgetExceeded when a fund would go below zero for the year; the approval then rolls back.

    To be implemented by the funds branch; until then a decision commits nothing."""
    return None
