"""Evaluation in bulk: every (benefit, facts) to a compact outcome, in worker processes where it pays."""

from __future__ import annotations

import os
from collections.abc import Sequence

from socius.benefits.batch.compact import Compact, Compactor
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefits import Facts


def _evaluate_chunk(items: Sequence[tuple[str, Facts]]) -> tuple[list[Compact | str], dict[str, dict]]:
    compactor = Compactor()
    out: list[Compact | str] = []
    for code, facts in items:
        try:
            out.append(compactor(engine.evaluate(code, facts)))
        except (engine.BenefitError, LookupError, ValueError) as exc:  # a rule that cannot be applied: reported
            out.append(f"{type(exc).__name__}: {exc}")
    return out, compactor.shapes


def evaluate_many(
    items: Sequence[tuple[str, Facts]], *, workers: int = 1, chunk: int = 20_000
) -> tuple[list[Compact | str], dict[str, dict]]:
    """Evaluate every (benefit, facts), in order: a `Compact` per item, or the error's text where the rules
    cannot be applied; and the trace shapes seen. `workers` > 1 forks that many processes (the packs are
    already loaded in the parent) for large inputs, where the fork pays for itself."""
    if workers <= 1 or len(items) < 2 * chunk:
        return _evaluate_chunk(items)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    parts = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    results: list[Compact | str] = []
    shapes: dict[str, dict] = {}
    with context.Pool(workers) as pool:
        for part_results, part_shapes in pool.imap(_evaluate_chunk, parts):
            results.extend(part_results)
            shapes.update(part_shapes)
    return results, shapes


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
