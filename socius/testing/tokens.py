"""API keys for tests: a fresh token of the user (decision 0021 stores only hashes, so a key cannot be read back)."""

from __future__ import annotations


def api_key_for(user, name: str = "tests") -> str:
    """A working API key of the user (a new token under `name`; the previous one of that name is revoked)."""
    from socius.accounts.tokens import issue_api_token

    return issue_api_token(user, name)[1]
