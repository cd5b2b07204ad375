"""The recalculation pages: start a run, follow its progress (htmx polling), read the items old against new
(audited), approve them in bulk — never one's own."""

from __future__ import annotations

from django.urls import reverse

from socius.accounts.models import AuditEvent
from socius.benefits.models import Decision, RecalculationRun
from socius.benefits.tests.test_api_recalculation import run  # noqa: F401 (fixture)
from socius.benefits.tests.test_recalculation import grant, reference_month_formula  # noqa: F401 (fixtures)


def test_a_team_leader_starts_a_run_and_lands_on_its_page(
    client,
    grant,  # noqa: F811
    pl_teamlead,
    django_capture_on_commit_callbacks,
):
    client.force_login(pl_teamlead)
    assert 'name="month"' in client.get(reverse("web:recalculation_list")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:recalculation_list"), {"month": "2025-06-01", "benefit": "pl.toy_allowance"}
        )

    run = RecalculationRun.objects.get()  # noqa: F811
    assert response.status_code == 302 and response.url == reverse("web:recalculation_detail", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "552.00 PLN" in page and "600.00 PLN" in page and "+48.00" in page
    assert "The law changed (a parameter in force differs)" in page
    assert 'name="items"' not in page  # the proposer is offered no approval


def test_bad_month_is_refused_beside_its_field_and_nothing_starts(client, grant, pl_teamlead):  # noqa: F811
    client.force_login(pl_teamlead)

    response = client.post(reverse("web:recalculation_list"), {"month": "june"})

    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert not RecalculationRun.objects.exists()


def test_the_progress_section_polls_until_done_then_reloads_the_page(client, run, pl_director):  # noqa: F811
    client.force_login(pl_director)
    url = reverse("web:recalculation_progress", args=[run.pk])

    RecalculationRun.objects.filter(pk=run.pk).update(status="running", done=0)
    running = client.get(url, {"polling": 1}, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="load delay:2s"' in running.content.decode() and "HX-Refresh" not in running
    assert '<progress max="100" value="0">' in running.content.decode()

    RecalculationRun.objects.filter(pk=run.pk).update(status="done", done=1)
    done = client.get(url, {"polling": 1}, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and 'value="100"' in done.content.decode()


def test_the_items_page_is_audited_naming_the_persons(client, run, pl_director, mother, son):  # noqa: F811
    client.force_login(pl_director)

    client.get(reverse("web:recalculation_detail", args=[run.pk]))

    view = AuditEvent.objects.filter(action="view", object_type="benefit_decision").get()
    assert view.person_id == mother.pk
    assert list(view.further_persons.values_list("person_id", flat=True)) == [son.pk]


def test_an_approver_approves_in_bulk_and_the_proposer_cannot(client, run, pl_teamlead, pl_director):  # noqa: F811
    url = reverse("web:recalculation_approve", args=[run.pk])
    proposal = run.items.get().proposal

    client.force_login(pl_teamlead)
    client.post(url, {"all": "1"})
    proposal.refresh_from_db()
    assert proposal.status == "proposed"

    client.force_login(pl_director)
    page = client.get(reverse("web:recalculation_detail", args=[run.pk])).content.decode()
    assert 'name="items"' in page
    response = client.post(url, {"items": [run.items.get().pk]}, follow=True)
    assert "1 decisions approved; 0 left out" in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_by_id) == ("approved", pl_director.pk)
    assert Decision.objects.get(pk=proposal.changes_id).state == "superseded"


def test_a_worker_may_not_see_recalculations(client, run, pl_worker):  # noqa: F811
    client.force_login(pl_worker)

    assert client.get(reverse("web:recalculation_list")).status_code == 403
    assert client.get(reverse("web:recalculation_detail", args=[run.pk])).status_code == 403
