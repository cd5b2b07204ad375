"""The consequences a centre may decide on, labelled for the breach form in the reader's language."""

from django.utils import translation

from socius.plans.models import Consequence
from socius.plans.rules import consequence_labels


def test_a_russian_reader_at_a_polish_centre_reads_russian_with_the_statutory_wording_beside_it():
    labels = consequence_labels("PL", "ru")
    assert list(labels) == ["none", "refuse_cash_aid", "suspend_cash_aid", "reduce_cash_aid"]
    assert labels["suspend_cash_aid"] == (
        'приостановление денежных пособий <span class="statutory" lang="pl">'
        "(wstrzymanie świadczeń pieniężnych, art. 11 ust. 2 u.p.s.)</span>"
    )


def test_a_polish_reader_reads_the_statutory_wording_and_its_basis_once():
    labels = consequence_labels("PL", "pl")
    assert labels["none"] == 'brak konsekwencji <span class="legal-basis">(art. 11 ust. 2 u.p.s.)</span>'
    assert "statutory" not in "".join(labels.values())


def test_a_pack_without_a_list_offers_the_applications_translated_labels():
    with translation.override("ru"):
        labels = consequence_labels("MD")
        expected = {code: str(label) for code, label in Consequence.choices}
    assert labels == expected
    assert set(labels) == set(Consequence.values)
