"""The web front end's message catalogues: every text the pages use is in every language,
whichever of the catalogue files (messages.po, cases.po, …) holds it."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from services.web.i18n import catalogue_files, load_translations
from services.web.messages import used_message_ids
from services.web.sessions import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_used_text_is_translated(language: str) -> None:
    known: set[str] = set()
    for path in catalogue_files(language):
        with path.open("rb") as handle:
            known |= {str(m.id) for m in read_po(handle) if m.id and m.string}
    missing = sorted(used_message_ids() - known)
    assert not missing, f"{language}: no translation for {missing}"


def test_the_catalogue_files_are_merged() -> None:
    files = {path.name for path in catalogue_files("de")}
    assert {"messages.po", "cases.po"} <= files
    german = load_translations("de")
    assert german.gettext("Work queue") == "Arbeitsvorrat"  # messages.po
    assert german.gettext("My cases") == "Meine Fälle"  # cases.po
