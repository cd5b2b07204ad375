"""What a higher app does when decisions are approved, registered by that app (decision 0014).

Benefits sits below payments in the layers and cannot call it, yet approving a grant must commit its
money on the fund it draws on, and be refused with nothing written when the fund has too little. The
payments app registers a hook here when it starts (its AppConfig.ready); the approval services call every
hook inside their transaction, after the decisions are approved and before it commits, with the approved
decisions (one, or a recalculation's many). A hook that raises rolls the whole approval back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socius.benefits.models import Decision

ApprovalHook = Callable[[Sequence["Decision"]], None]

_approval_hooks: list[ApprovalHook] = []


def register_approval_hook(hook: ApprovalHook) -> None:
    """Register `hook(decisions)`; registering the same function twice keeps one."""
    if hook not in _approval_hooks:
        _approval_hooks.append(hook)


def decisions_approved(decisions: Sequence[Decision]) -> None:
    """Call every registered hook with the decisions just approved (inside the approving transaction)."""
    if not decisions:
        return
    for hook in tuple(_approval_hooks):
        hook(decisions)
