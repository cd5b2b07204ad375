"""Contact topics and outcomes per pack: the same codes everywhere, labels in the country's language."""

import pytest

from socius.rulebook import get_jurisdiction, jurisdiction_codes

TOPICS = {
    "benefits_information", "cash_benefit_application", "housing", "employment", "health", "family_child",
    "violence", "disability", "elderly_care", "documents", "other",
}  # fmt: skip
OUTCOMES = {"information_given", "application_taken", "referral", "case_opened"}


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_contact_topics_have_the_shared_codes_once_each_with_labels_and_sources(country):
    topics = get_jurisdiction(country).contact_topics()

    assert [topic.code for topic in topics].count("other") == 1
    assert {topic.code for topic in topics} == TOPICS
    assert len(topics) == len(TOPICS)
    assert all(topic.label.strip() and topic.source.strip() for topic in topics)


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_contact_outcomes_have_the_shared_codes_once_each_with_labels_and_sources(country):
    outcomes = get_jurisdiction(country).contact_outcomes()

    assert [outcome.code for outcome in outcomes] == [
        "information_given",
        "application_taken",
        "referral",
        "case_opened",
    ]
    assert all(outcome.label.strip() and outcome.source == "centre practice" for outcome in outcomes)


def test_labels_are_in_the_country_language_not_shared():
    labels = {country: get_jurisdiction(country).contact_outcomes()[0].label for country in jurisdiction_codes()}
    assert labels == {"PL": "udzielono informacji", "MD": "informație oferită", "LT": "suteikta informacija"}


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_health_violence_and_disability_topics_are_sensitive(country):
    sensitive = {topic.code for topic in get_jurisdiction(country).contact_topics() if topic.sensitive}
    assert sensitive == {"health", "violence", "disability"}
