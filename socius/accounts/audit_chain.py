"""The tamper-evident audit log: each AuditEvent's hash chained to the previous event of its centre (decision 0020).

Every writer of AuditEvent seals its events here before inserting them, inside the transaction that inserts them:
`seal` locks the centre's chain head (AuditChainHead, a row lock on PostgreSQL; SQLite's writes are already
serial), gives each event the next sequence number and its hash, and moves the head. Two concurrent writers of one
centre therefore wait for each other and the chain cannot fork; a unique (centre, chain_seq) constraint refuses a
fork should a writer ever skip the lock.

The hash is sha256 over a canonical serialisation of the event (version 1, frozen: changing it breaks every
stored chain) with the persons it names and the previous event's hash. `verify_chain` walks a chain and names the
first broken link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from socius.accounts.models import AuditChainHead, AuditEvent, AuditEventPerson

GENESIS = "0" * 64  # the "previous hash" of a chain's first event
NO_CENTRE = 0  # the chain of events that belong to no centre


def chain_key(centre_id: int | None) -> int:
    return centre_id or NO_CENTRE


def _utc(value: dt.datetime | str) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ip(value) -> str | None:
    if not value:
        return None
    return ipaddress.ip_address(str(value).split("/")[0]).compressed


def _plain_json(value):
    # As the database gives it back: tuples become lists, keys strings.
    return json.loads(json.dumps(value if value is not None else {}))


def canonical(fields: dict, persons: Iterable[int], previous: str) -> bytes:
    """The bytes that an event's hash covers. `fields` holds the event's columns by attname."""
    body = {
        "v": 1,
        "chain": chain_key(fields.get("centre_id")),
        "seq": fields["chain_seq"],
        "previous": previous,
        "at": _utc(fields["at"]),
        "actor": fields.get("actor_id"),
        "actor_username": fields.get("actor_username") or "",
        "action": fields["action"],
        "object_type": fields["object_type"],
        "object_id": fields.get("object_id"),
        "person": fields.get("person_id"),
        "persons": sorted({int(p) for p in persons}),
        "changes": _plain_json(fields.get("changes")),
        "ip": _ip(fields.get("ip")),
        "channel": fields.get("channel") or "",
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")


def event_hash(fields: dict, persons: Iterable[int], previous: str) -> str:
    return hashlib.sha256(canonical(fields, persons, previous)).hexdigest()


HASHED_FIELDS = (
    "centre_id", "chain_seq", "at", "actor_id", "actor_username", "action", "object_type", "object_id", "person_id",
    "changes", "ip", "channel",
)  # fmt: skip


def _fields_of(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def seal(events: Sequence[AuditEvent], persons: Sequence[Iterable[int]]) -> None:
    """Place unsaved events (with, for each, the further persons it will name) at the end of their centres'
    chains: sets `at` (now, when unset), `chain_seq` and `chain_hash`, and moves the heads. Call it inside the
    transaction that then inserts exactly these events; the heads stay locked until that transaction ends."""
    if not events:
        return
    now = timezone.now()
    by_chain: dict[int, list[int]] = {}
    for index, event in enumerate(events):
        if event.at is None:
            event.at = now
        by_chain.setdefault(chain_key(event.centre_id), []).append(index)
    with transaction.atomic(savepoint=False):
        for key in sorted(by_chain):  # one order for every writer: two writers never wait on each other in a cycle
            seq, previous = _lock_head(key)
            for index in by_chain[key]:
                event = events[index]
                seq += 1
                event.chain_seq = seq
                event.chain_hash = event_hash(_fields_of(event), persons[index], previous)
                previous = event.chain_hash
            AuditChainHead.objects.filter(pk=key).update(seq=seq, hash=previous)


def _lock_head(key: int) -> tuple[int, str]:
    """The chain's head (seq, hash), locked until the transaction ends. One statement whether or not the head
    exists yet: an upsert whose no-op update takes the row lock, and returns the latest committed version of the
    row (PostgreSQL re-reads a row it had to wait for; SQLite 3.35+ has upsert and RETURNING too)."""
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (chain, seq, hash) VALUES (%s, 0, %s) "  # noqa: S608 - the model's own table
            f"ON CONFLICT (chain) DO UPDATE SET seq = {table}.seq RETURNING seq, hash",
            [key, GENESIS],
        )
        seq, previous = cursor.fetchone()
    return seq, previous


# --- verifying ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenLink:
    """The first place where a chain no longer holds: the event (None when the break is at the head) and what
    differs."""

    chain: int
    event_id: int | None
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event {self.event_id} (seq {self.seq})" if self.event_id else "the chain head"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    chain: int
    events: int
    head_seq: int
    head_hash: str
    broken: BrokenLink | None


def _rows(key: int, chunk: int) -> Iterator[tuple[dict, list[int]]]:
    """The chain's events in chain order, with their further persons, a chunk at a time."""
    centre_id = None if key == NO_CENTRE else key
    qs = AuditEvent.objects.filter(centre_id=centre_id, chain_seq__isnull=False).order_by("chain_seq")
    last = 0
    while True:
        batch = list(qs.filter(chain_seq__gt=last).values("id", "chain_hash", *HASHED_FIELDS)[:chunk])
        if not batch:
            return
        persons: dict[int, list[int]] = {row["id"]: [] for row in batch}
        further = AuditEventPerson.objects.filter(event_id__in=list(persons)).values_list("event_id", "person_id")
        for event_id, person_id in further:
            persons[event_id].append(person_id)
        for row in batch:
            yield row, persons[row["id"]]
        last = batch[-1]["chain_seq"]


def verify_chain(centre_id: int | None, *, chunk: int = 5000) -> ChainReport:
    """Walk one centre's chain (None: the events of no centre) and report the first broken link, if any.

    Caught: an edited event or a changed list of its persons (its hash no longer matches), a deleted event (a gap
    in the sequence, or the head ahead of the last event), an inserted event (outside the chain: no sequence
    number; or one whose hash does not follow from the previous one)."""
    key = chain_key(centre_id)
    head = AuditChainHead.objects.filter(pk=key).values_list("seq", "hash").first() or (0, GENESIS)
    outside = AuditEvent.objects.filter(centre_id=centre_id, chain_seq__isnull=True).order_by("id")
    unsealed = outside.values_list("id", flat=True).first()
    previous, expected, count, broken = GENESIS, 1, 0, None
    for row, persons in _rows(key, chunk):
        count += 1
        seq = row["chain_seq"]
        if seq != expected:
            missing = seq - expected
            reason = (
                f"sequence {seq} where {expected} was expected: {missing} event(s) before it deleted"
                if missing > 0
                else f"sequence {seq} appears again: an event inserted with a copied number"
            )
            broken = BrokenLink(key, row["id"], seq, reason)
            break
        computed = event_hash(row, persons, previous)
        if computed != row["chain_hash"]:
            broken = BrokenLink(
                key,
                row["id"],
                seq,
                f"hash differs (stored {row['chain_hash'][:12]}…, computed {computed[:12]}…): the event, the persons "
                "it names or an event before it in the chain were changed, or it was inserted",
            )
            break
        previous, expected = row["chain_hash"], seq + 1
    if broken is None and unsealed is not None:
        broken = BrokenLink(key, unsealed, None, "not in the chain (no sequence number): written outside the audit log")
    if broken is None and (head[0] != expected - 1 or head[1] != previous):
        broken = BrokenLink(
            key,
            None,
            None,
            f"the head says sequence {head[0]} but the last event is {expected - 1}: the last event(s) deleted"
            if head[0] != expected - 1
            else "the head's hash differs from the last event's: the last event was replaced",
        )
    return ChainReport(key, count, head[0], head[1], broken)
