"""Law as data: country packs (PL, MD, LT) behind small typed interfaces. Pure Python, no Django."""

from socius.rulebook.engine.jurisdiction import Jurisdiction, get_jurisdiction, jurisdiction_codes
from socius.rulebook.engine.national_id import IdCheck, IdProblem

__all__ = ["IdCheck", "IdProblem", "Jurisdiction", "get_jurisdiction", "jurisdiction_codes"]
