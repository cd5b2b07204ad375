"""Read models across the domain apps: the worker's desk, the caseload, the case, household and person timelines."""
