"""Unconfirmed parts of an instrument are never printed as "Segment nieustalony": new interviews are on
rws-2021 2021.2 without segments F and G; an interview started on 2021.1 shows them only where it answered
them, under the bare letter; and the interview reads in the worker's language."""

import datetime as dt

import pytest
from django.urls import reverse

from socius.assessments.models import Assessment
from socius.assessments.services import start_assessment
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import PersonFactory, TeamFactory

D = dt.date


@pytest.fixture
def case(pl_centre, pl_worker):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Zespół ds. rodziny")
    team.members.add(pl_worker)
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    return CaseFactory(centre=pl_centre, person=person, household=None, assigned_worker=pl_worker, team=team)


def _page(client, user, assessment, name="web:assessment_detail", language="pl"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(reverse(name, args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_interview_has_no_unconfirmed_segment(client, pl_worker, case):
    assessment = start_assessment(pl_worker, case.pk, kind="initial", need_identified_on=D(2025, 4, 14))
    assert assessment.instrument_version == "2021.2"

    for name in ("web:assessment_detail", "web:assessment_print"):
        html = _page(client, pl_worker, assessment, name)
        assert "Część I. E. Sytuacja zdrowotna" in html and "Część I. H." in html
        assert "nieustalon" not in html and "Część I. F." not in html and "I_F__notes" not in html


def test_an_old_interview_shows_segment_f_only_where_it_was_answered(client, pl_worker, case):
    answered = start_assessment(pl_worker, case.pk, kind="initial", need_identified_on=D(2025, 4, 14))
    Assessment.objects.filter(pk=answered.pk).update(
        instrument_version="2021.1", answers={"I_F": {"notes": "Notatka z segmentu F"}}
    )

    html = _page(client, pl_worker, answered)
    assert "Część I. F." in html and "Notatka z segmentu F" in html and 'name="I_F__notes"' in html
    assert "Część I. G." not in html and "nieustalon" not in html

    Assessment.objects.filter(pk=answered.pk).update(answers={})
    html = _page(client, pl_worker, answered)
    assert "Część I. F." not in html and 'name="I_F__notes"' not in html


def test_the_interview_reads_in_the_workers_language_with_the_official_title_under_it(client, pl_worker, case):
    assessment = start_assessment(pl_worker, case.pk, kind="initial", need_identified_on=D(2025, 4, 14))

    html = _page(client, pl_worker, assessment, language="ru")
    assert "Опросный лист обследования условий жизни семьи" in html
    assert "Часть I. D. Материальное положение" in html and "Задолженность" in html
    assert "Zadłużenie" not in html and "Sytuacja materialna" not in html
    assert '<span class="statutory" lang="pl">Kwestionariusz rodzinnego wywiadu środowiskowego (' in html

    polish = _page(client, pl_worker, assessment, language="pl")
    assert "Zadłużenie" in polish and 'class="statutory"' not in polish
