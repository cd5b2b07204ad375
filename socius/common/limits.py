"""Input limits shared by the API serializers, the web forms and the services, so each says the same."""

from __future__ import annotations

# Every table's key is a BigAutoField: an id beyond it names no record, and the database drivers refuse
# to bind it (OverflowError), so ids are bounded before any query.
ID_MAX = 2**63 - 1

# PositiveSmallIntegerField's range (a goal's order and the like).
SMALL_MAX = 32767

# Free text. Long enough for what a worker writes, short enough that one record never weighs megabytes.
NOTES_MAX_LENGTH = 10_000  # notes, descriptions, diagnosis, conclusions, reasons with a story
SHORT_TEXT_MAX_LENGTH = 500  # a reason, an outcome, a line of text
