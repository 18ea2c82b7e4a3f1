"""The web front end's message catalogues: one file per area (messages.po, cases.po, …),
merged per language. That every text is translated: tests/unit/test_web_messages.py."""

from __future__ import annotations

from services.web.i18n import catalogue_files, load_translations


def test_the_catalogue_files_are_merged() -> None:
    files = {path.name for path in catalogue_files("de")}
    assert {"messages.po", "cases.po"} <= files
    german = load_translations("de")
    assert german.gettext("Work queue") == "Arbeitsvorrat"  # messages.po
    assert german.gettext("My cases") == "Meine Fälle"  # cases.po
