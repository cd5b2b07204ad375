"""Demo data: three centres (PL, MD, LT) with real territory names, staff and synthetic persons."""
