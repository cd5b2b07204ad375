"""Browser: the auditor's log with the help-plan events of the demo (goals and actions added to a plan,
the events that answered 500 before issue 7), filtered by record type and described in words."""

from __future__ import annotations

import re

from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from socius.accounts.models import AuditEvent, User
from socius.plans.models import Goal, PlanAction
from socius.web.tests.browser.test_journeys import (  # noqa: F401 (fixtures)
    compiled_locale_dir,
    demo,
    fresh_catalogues,
    in_language,
    log_in,
    shot,
)


def test_pl_auditor_filters_the_log_by_help_plans_and_reads_goal_and_action_events(page: Page, demo):  # noqa: F811
    auditor = User.objects.get(username="pl-auditor")
    lang = auditor.language or "pl"
    goal_event = AuditEvent.objects.filter(centre=auditor.centre, object_type="help_plan", changes__has_key="goals")
    action_event = AuditEvent.objects.filter(centre=auditor.centre, object_type="help_plan", changes__has_key="actions")
    assert goal_event.exists() and action_event.exists()  # the demo writes them through the services
    goal_id = goal_event.latest("id").changes["goals"][1]
    action_id = action_event.latest("id").changes["actions"][1]
    assert Goal.objects.filter(pk=goal_id).exists() and PlanAction.objects.filter(pk=action_id).exists()

    log_in(page, "pl-auditor")
    page.goto("/audit/")
    expect(page.locator("table.audit-table")).to_be_visible()  # the unfiltered log renders (was 500)
    page.locator("#id_record_type").select_option("help_plan")
    page.locator("form.audit-filters button[type=submit].primary").click()

    expect(page).to_have_url(re.compile(r"record_type=help_plan"))
    table = page.locator("table.audit-table")
    expect(table).to_be_visible()
    help_plan = in_language(lang, "Help plan")
    expect(table.locator("tbody tr").first).to_contain_text(help_plan)
    goal_label = capfirst(in_language(lang, "goal"))
    action_label = capfirst(in_language(lang, "plan action"))
    goal_row = table.locator("li", has=page.locator(".change-label", has_text=goal_label)).filter(
        has_text=f"{goal_label} {goal_id}"
    )
    expect(goal_row.first).to_be_visible()
    expect(table.locator("li").filter(has_text=f"{action_label} {action_id}").first).to_be_visible()
    expect(table).not_to_contain_text("goals")  # no raw change key
    expect(table).not_to_contain_text("actions:")
    shot(page, "audit-log-help-plans")
