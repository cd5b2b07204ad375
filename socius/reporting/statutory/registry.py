"""Imports the statutory reports' modules so their indicators and layouts are registered: PL MRPiPS-03 and OZPS,
LT quarterly cash social assistance, MD yearly ajutor social and cold-season aid. Each report's sections join
`indicators.SECTIONS` under their own codes (after the monthly report's)."""

from socius.reporting.indicators import SECTIONS, register
from socius.reporting.statuses import ReportKind
from socius.reporting.statutory import cash_tables, mrpips03

SECTIONS.update(mrpips03.section_titles())
SECTIONS.update(cash_tables.section_titles(ReportKind.LT_CASH_ASSISTANCE))
SECTIONS.update(cash_tables.section_titles(ReportKind.MD_YEARLY_AID))

register(*mrpips03.build())
register(*cash_tables.build(ReportKind.LT_CASH_ASSISTANCE))
register(*cash_tables.build(ReportKind.MD_YEARLY_AID))
