"""The recalculation's bulk audit writer seals its events into the centre's hash chain (decision 0020)."""

from types import SimpleNamespace

from socius.accounts.audit import record_event
from socius.accounts.audit_chain import verify_chain
from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson
from socius.benefits.recalculation.writing import write_audit


def test_bulk_written_decision_events_continue_the_centres_chain(pl_worker, pl_centre):
    record_event(pl_worker, AuditAction.VIEW, object_type="person", object_id=1, centre_id=pl_centre.pk)
    decisions = [
        SimpleNamespace(pk=i, centre_id=pl_centre.pk, applicant_id=10 + i, member_ids=[10 + i, 20 + i])
        for i in range(3)
    ]

    write_audit(pl_worker, AuditAction.CREATE, [(d, {"status": [None, "proposed"]}) for d in decisions],
                with_members=True)  # fmt: skip

    events = list(AuditEvent.objects.filter(centre_id=pl_centre.pk).order_by("chain_seq"))
    assert [(e.chain_seq, e.object_type, e.person_id) for e in events] == [
        (1, "person", None), (2, "benefit_decision", 10), (3, "benefit_decision", 11), (4, "benefit_decision", 12),
    ]  # fmt: skip
    assert sorted(AuditEventPerson.objects.values_list("person_id", flat=True)) == [20, 21, 22]
    assert verify_chain(pl_centre.pk).broken is None
