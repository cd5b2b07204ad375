"""Users, roles, centres, teams (problem groups), territorial tree and the audit log."""
