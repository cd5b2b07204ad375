"""Individual help plans, goals and actions, social contracts."""
