"""The tamper-evident audit log: every writer chains its events per centre, and the verification names the first
broken link of an edited, deleted or inserted event (decision 0020)."""

import threading

import pytest
from django.apps import apps as global_apps
from django.core.management import CommandError, call_command
from django.db import connection, connections

from socius.accounts.audit import record_event, record_list_view, record_views
from socius.accounts.audit_chain import GENESIS, event_hash, verify_chain
from socius.accounts.models import AuditAction, AuditChainHead, AuditEvent, AuditEventPerson


def chain_of(centre_id):
    return list(AuditEvent.objects.filter(centre_id=centre_id).order_by("chain_seq"))


def write_some(actor, centre_id, n=4):
    for i in range(n):
        record_event(actor, AuditAction.UPDATE, object_type="person", object_id=i, centre_id=centre_id,
                     person_id=100 + i, person_ids=[100 + i, 200 + i, 300 + i], changes={"note": ["a", f"b{i}"]})  # fmt: skip


def test_events_of_each_centre_form_their_own_chain_from_the_genesis(pl_worker, pl_centre, md_centre):
    write_some(pl_worker, pl_centre.pk, 3)
    record_event(pl_worker, AuditAction.VIEW, object_type="person", object_id=9, centre_id=md_centre.pk)
    write_some(pl_worker, pl_centre.pk, 1)

    pl = chain_of(pl_centre.pk)
    assert [e.chain_seq for e in pl] == [1, 2, 3, 4]
    first = pl[0]
    fields = {n: getattr(first, n) for n in ("centre_id", "chain_seq", "at", "actor_id", "actor_username", "action",
                                             "object_type", "object_id", "person_id", "changes", "ip", "channel")}  # fmt: skip
    assert first.chain_hash == event_hash(fields, [200, 300], GENESIS)
    assert [e.chain_seq for e in chain_of(md_centre.pk)] == [1]
    assert AuditChainHead.objects.get(pk=pl_centre.pk).hash == pl[-1].chain_hash
    assert verify_chain(pl_centre.pk).broken is None
    assert verify_chain(md_centre.pk).broken is None
    assert verify_chain(pl_centre.pk).events == 4


def test_bulk_views_and_list_views_chain_too(pl_worker, pl_centre, md_centre):
    record_views(pl_worker, [
        {"object_type": "case", "object_id": 1, "centre_id": pl_centre.pk, "person_ids": [1, 2]},
        {"object_type": "case", "object_id": 2, "centre_id": md_centre.pk, "person_id": 3},
        {"object_type": "case", "object_id": 3, "centre_id": pl_centre.pk, "person_ids": [4]},
    ])  # fmt: skip
    record_list_view(pl_worker, object_type="person", person_ids=[5, 6, 7], query="kowal")

    assert [e.chain_seq for e in chain_of(pl_centre.pk)] == [1, 2, 3]
    assert verify_chain(pl_centre.pk).broken is None
    assert verify_chain(md_centre.pk).broken is None


def test_an_edited_event_is_the_first_broken_link(pl_worker, pl_centre):
    write_some(pl_worker, pl_centre.pk)
    second = chain_of(pl_centre.pk)[1]
    AuditEvent.objects.filter(pk=second.pk).update(changes={"note": ["a", "forged"]})

    broken = verify_chain(pl_centre.pk).broken
    assert (broken.event_id, broken.seq) == (second.pk, 2)
    assert "hash differs" in broken.reason


def test_a_changed_list_of_named_persons_breaks_the_link(pl_worker, pl_centre):
    write_some(pl_worker, pl_centre.pk)
    third = chain_of(pl_centre.pk)[2]
    AuditEventPerson.objects.filter(event=third, person_id=202).delete()

    broken = verify_chain(pl_centre.pk).broken
    assert (broken.event_id, broken.seq) == (third.pk, 3)


def test_a_deleted_event_is_named_by_the_gap_it_leaves(pl_worker, pl_centre):
    write_some(pl_worker, pl_centre.pk)
    events = chain_of(pl_centre.pk)
    events[1].delete()

    broken = verify_chain(pl_centre.pk).broken
    assert (broken.event_id, broken.seq) == (events[2].pk, 3)
    assert "1 event(s) before it deleted" in broken.reason


def test_deleting_the_last_events_is_caught_at_the_head(pl_worker, pl_centre):
    write_some(pl_worker, pl_centre.pk)
    chain_of(pl_centre.pk)[-1].delete()

    broken = verify_chain(pl_centre.pk).broken
    assert broken.event_id is None
    assert "head says sequence 4 but the last event is 3" in broken.reason


def test_an_event_inserted_outside_the_log_is_caught(pl_worker, pl_centre):
    write_some(pl_worker, pl_centre.pk)
    intruder = AuditEvent.objects.create(centre_id=pl_centre.pk, action=AuditAction.VIEW, object_type="person")

    broken = verify_chain(pl_centre.pk).broken
    assert broken.event_id == intruder.pk
    assert "not in the chain" in broken.reason


def test_an_event_inserted_with_a_forged_place_is_caught(pl_worker, pl_centre):
    write_some(pl_worker, pl_centre.pk, 2)
    forged = AuditEvent.objects.create(centre_id=pl_centre.pk, action=AuditAction.VIEW, object_type="person",
                                       chain_seq=3, chain_hash="f" * 64)  # fmt: skip
    AuditChainHead.objects.filter(pk=pl_centre.pk).update(seq=3, hash="f" * 64)

    broken = verify_chain(pl_centre.pk).broken
    assert (broken.event_id, broken.seq) == (forged.pk, 3)
    assert "hash differs" in broken.reason


def test_the_migration_chains_the_events_written_before_it(pl_worker, pl_centre, md_centre):
    write_some(pl_worker, pl_centre.pk)
    record_event(pl_worker, AuditAction.VIEW, object_type="person", object_id=1, centre_id=md_centre.pk)
    record_event(None, AuditAction.IMPORT, object_type="territory", object_id=None, centre_id=None)
    sealed = dict(AuditEvent.objects.values_list("pk", "chain_hash"))
    AuditEvent.objects.update(chain_seq=None, chain_hash="")
    AuditChainHead.objects.all().delete()
    migration = __import__("socius.accounts.migrations.0010_audit_hash_chain", fromlist=["chain_existing_events"])

    migration.chain_existing_events(global_apps, None)

    assert dict(AuditEvent.objects.values_list("pk", "chain_hash")) == sealed
    assert all(verify_chain(c).broken is None for c in (pl_centre.pk, md_centre.pk, None))


def test_the_command_names_the_first_broken_link_and_fails(pl_worker, pl_centre, md_centre, capsys):
    write_some(pl_worker, pl_centre.pk)
    record_event(pl_worker, AuditAction.VIEW, object_type="person", object_id=1, centre_id=md_centre.pk)
    call_command("verify_audit_chain")
    assert "pl-test: intact, 4 events" in capsys.readouterr().out

    second = chain_of(pl_centre.pk)[1]
    AuditEvent.objects.filter(pk=second.pk).update(object_id=77)
    with pytest.raises(CommandError, match="1 audit chain"):
        call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert f"pl-test: BROKEN at event {second.pk} (seq 2): hash differs" in out
    assert "md-test: intact, 1 events" in out

    call_command("verify_audit_chain", "--centre", "md-test")
    with pytest.raises(CommandError, match="No centre"):
        call_command("verify_audit_chain", "--centre", "nowhere")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_centre_never_fork_the_chain(pl_worker, pl_centre):
    writers, per_writer = 6, 15
    start = threading.Barrier(writers)
    failures = []

    def write():
        try:
            start.wait()
            write_some(pl_worker, pl_centre.pk, per_writer)
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert [e.chain_seq for e in chain_of(pl_centre.pk)] == list(range(1, writers * per_writer + 1))
    assert verify_chain(pl_centre.pk).broken is None
