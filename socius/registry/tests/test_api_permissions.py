"""API permission matrix: every role × own-centre record, other-centre record, and anonymous callers.

Outcomes: anonymous 401 (TokenAuthentication comes first, so DRF can send a challenge); a role
without the capability 403 — checked before the record is fetched, so it says nothing about whether
an id exists; another centre's record 404, exactly like a missing one; otherwise 200/201.
"""

import pytest
from django.urls import URLPattern, get_resolver
from rest_framework.test import APIClient

from socius.accounts.api import HasCapability, ObtainTokenView
from socius.accounts.api_signin import ApiTokenViewSet, SignOutEverywhereView
from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.registry.models import Household, Membership, Person
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, UserFactory

# persona (from conftest): (may edit the registry, may read the audit). Every role reads the registry.
ROLES = {
    "pl_worker": (True, False),
    "pl_assistant": (True, False),
    "pl_teamlead": (True, False),
    "pl_finance": (False, False),
    "pl_director": (True, True),
    "pl_auditor": (False, True),
    "pl_admin": (True, False),
}

OPERATIONS = [
    ("persons", "list"),
    ("persons", "read"),
    ("persons", "create"),
    ("persons", "update"),
    ("households", "list"),
    ("households", "read"),
    ("households", "create"),
    ("households", "update"),
    ("audit", "list"),
]
TARGETED = {"read", "update"}


def expected_status(persona: str, resource: str, operation: str, target: str) -> int:
    if persona == "anonymous":
        return 401
    may_edit, may_audit = ROLES[persona]
    if resource == "audit":
        return 200 if may_audit else 403
    if operation == "list":
        return 200
    if operation == "read":
        return 200 if target == "own" else 404
    if not may_edit:
        return 403
    if operation == "create":
        return 201
    return 200 if target == "own" else 404


def cases():
    for persona in [*ROLES, "anonymous"]:
        for resource, operation in OPERATIONS:
            for target in ("own", "other") if operation in TARGETED else ("-",):
                yield pytest.param(
                    persona,
                    resource,
                    operation,
                    target,
                    expected_status(persona, resource, operation, target),
                    id=f"{persona}-{resource}-{operation}-{target}",
                )


@pytest.fixture
def records(pl_centre, md_centre):
    """A person in a household in each centre, and a Polish person free to head a new household."""
    out = {}
    for key, centre in (("own", pl_centre), ("other", md_centre)):
        person = PersonFactory(centre=centre, first_name="Ewa", last_name="Nowak", sex="F", national_id="")
        household = HouseholdFactory(centre=centre)
        MembershipFactory(household=household, person=person, relationship="head")
        out[key] = {"persons": person, "households": household}
    out["free_person"] = PersonFactory(centre=pl_centre, national_id="")
    return out


def call(client, resource, operation, target, records):
    base = "/api/v1/audit/events/" if resource == "audit" else f"/api/v1/{resource}/"
    if operation == "list":
        return client.get(base)
    if operation == "create":
        if resource == "persons":
            payload = {"first_name": "Nowa", "last_name": "Osoba"}
        else:
            payload = {"members": [{"person": records["free_person"].pk, "relationship": "head"}]}
        return client.post(base, payload, format="json")
    url = f"{base}{records[target][resource].pk}/"
    if operation == "read":
        return client.get(url)
    return client.patch(url, {"notes": "changed"}, format="json")


def state():
    return (
        Person.objects.count(),
        Household.objects.count(),
        Membership.objects.count(),
        sorted(Person.objects.values_list("notes", flat=True)),
        sorted(Household.objects.values_list("notes", flat=True)),
    )


@pytest.mark.parametrize(("persona_name", "resource", "operation", "target", "expected"), list(cases()))
def test_permission_matrix(request, records, persona_name, resource, operation, target, expected):
    client = APIClient()
    if persona_name != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona_name))
    before = state()
    events_before = AuditEvent.objects.count()

    response = call(client, resource, operation, target, records)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert state() == before
        assert AuditEvent.objects.count() == events_before


def test_a_user_without_a_centre_is_refused_everything(db, records):
    nobody = UserFactory(username="detached", centre=None, role=Role.DIRECTOR)
    client = APIClient()
    client.force_authenticate(nobody)

    assert client.get("/api/v1/persons/").status_code == 403
    assert client.get(f"/api/v1/persons/{records['own']['persons'].pk}/").status_code == 403
    assert client.get("/api/v1/audit/events/").status_code == 403


def test_403_does_not_depend_on_whether_the_record_exists(pl_finance, records):
    client = APIClient()
    client.force_authenticate(pl_finance)

    assert client.patch(f"/api/v1/persons/{records['own']['persons'].pk}/", {}, format="json").status_code == 403
    assert client.patch(f"/api/v1/persons/{records['other']['persons'].pk}/", {}, format="json").status_code == 403
    assert client.patch("/api/v1/persons/999999/", {}, format="json").status_code == 403


def _api_patterns():
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    return [p for p in api.url_patterns if isinstance(p, URLPattern)]


def test_every_api_view_declares_the_capability_of_each_action():
    """Like the UI's URL walk: a new endpoint without a declared permission fails here."""
    patterns = _api_patterns()
    assert len(patterns) >= 6
    for pattern in patterns:
        view = pattern.callback.cls
        if view in (SignOutEverywhereView, ApiTokenViewSet):
            continue  # every member of a centre, for their own sessions and tokens (the administrator's: their tests)
        if view is ObtainTokenView:
            continue  # public by nature; throttled
        assert any(issubclass(cls, HasCapability) for cls in view.permission_classes), pattern
        # A viewset routes actions; a plain APIView (the calendar's .ics) answers the methods it defines.
        actions = getattr(pattern.callback, "actions", None)
        if actions is None:
            actions = {m: m for m in view.http_method_names if m not in ("options", "head") and hasattr(view, m)}
        for action in actions.values():
            assert action in view.capabilities, (pattern, action)
