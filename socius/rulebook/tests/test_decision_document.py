"""Every pack has the fixed texts of a benefit decision, translated into every interface language."""

import pytest

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.decision_document import decision_texts
from socius.rulebook.engine.translations import missing_languages


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_each_pack_has_every_decision_text_in_every_language(country):
    pack = get_jurisdiction(country)
    texts = decision_texts(pack.data_dir)
    assert set(texts) == {"title", "procedure", "appeal", "appeal_body", "signature"}
    for part, text in texts.items():
        assert not missing_languages(text.translations, pack.default_language), f"{country} {part}"
    assert texts["appeal"].legal_basis


def test_the_polish_appeal_names_fourteen_days_the_sko_and_the_centre():
    texts = decision_texts(get_jurisdiction("PL").data_dir)
    body = texts["appeal_body"].text_in("pl")
    wording = texts["appeal"].text_in("pl", centre="GOPS Moszczenica", appeal_body=body)
    assert wording == (
        "Od niniejszej decyzji przysługuje odwołanie do Samorządowego Kolegium Odwoławczego za pośrednictwem "
        "organu, który ją wydał (GOPS Moszczenica), w terminie 14 dni od dnia jej doręczenia."
    )
