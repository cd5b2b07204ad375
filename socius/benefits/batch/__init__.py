"""Set-based evaluation: the engine's facts for many grants (or households) of one month in a few queries,
evaluated in bulk (in worker processes where it pays), outcomes stored compactly (a trace template once,
values per row) with bulk inserts or PostgreSQL COPY; never one query per household.

- `facts`: facts for many applications (a recalculation) or registry households, a few queries each;
- `households`: the fast path for registry households (one query a range, incomes aggregated by the
  server) and a whole run over a centre in worker processes;
- `compact`: trace shapes (templates) and compact outcomes;
- `evaluate`: evaluation in bulk;
- `store`: writing results (COPY on PostgreSQL).
"""

from socius.benefits.batch.compact import Compact, Compactor, expanded_trace, save_templates, trace_shape
from socius.benefits.batch.evaluate import default_workers, evaluate_many
from socius.benefits.batch.facts import (
    PersonRow,
    facts_for_applications,
    facts_for_households,
    member_from,
    reference_on,
)
from socius.benefits.batch.households import (
    ShapeMismatch,
    ValuesCompactor,
    copy_results,
    evaluate_range,
    gc_paused,
    household_facts,
)
from socius.benefits.batch.store import RESULT_COLUMNS, store_results

__all__ = [
    "RESULT_COLUMNS",
    "Compact",
    "Compactor",
    "PersonRow",
    "ShapeMismatch",
    "ValuesCompactor",
    "copy_results",
    "default_workers",
    "evaluate_many",
    "evaluate_range",
    "expanded_trace",
    "facts_for_applications",
    "facts_for_households",
    "gc_paused",
    "household_facts",
    "member_from",
    "reference_on",
    "save_templates",
    "store_results",
    "trace_shape",
]
