"""Country packs."""
