"""API: the change trail (accounts.api_trail), whose read is audited naming every person the entries show:
for a case's records that is the case's persons, which only the web layer (above casework and plans) knows."""

from __future__ import annotations

from socius.accounts.api_trail import ChangeTrailViewSet as BaseChangeTrailViewSet
from socius.web.trail import persons_of_trail


class ChangeTrailViewSet(BaseChangeTrailViewSet):
    def persons_shown(self, entries) -> list[int]:
        return persons_of_trail(entries)
