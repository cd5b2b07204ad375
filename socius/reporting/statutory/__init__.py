"""Statutory statistics (issue 12): PL MRPiPS-03 and OZPS, LT quarterly cash assistance, MD yearly aid figures."""
