"""Each pack's documents checklist (benefits/documents.yaml) names declared benefits, in every language."""

import pytest

from socius.rulebook.engine.benefit_documents import benefit_documents
from socius.rulebook.engine.jurisdiction import get_jurisdiction
from socius.rulebook.engine.translations import missing_languages


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_every_benefit_of_the_pack_has_a_checklist_translated_into_every_language(country):
    pack = get_jurisdiction(country)
    documents = benefit_documents(pack.data_dir)

    assert set(documents) == {definition.code for definition in pack.benefits()}
    for code, items in documents.items():
        assert items, code
        assert any(item.required for item in items), code
        for item in items:
            assert missing_languages(item.translations, pack.default_language) == [], (code, item.code)


def test_the_documents_file_is_not_read_as_a_benefit():
    codes = [definition.code for definition in get_jurisdiction("PL").benefits()]
    assert all(code.startswith("pl.") for code in codes) and len(codes) == len(set(codes))
