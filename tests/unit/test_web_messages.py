"""Every text the web front end shows has a translation in German and in English."""

from __future__ import annotations

from babel.messages.pofile import read_po

from services.web.i18n import catalogue_files, load_translations, money
from services.web.messages import used_message_ids
from services.web.sessions import LANGUAGES


def _catalogue(language: str) -> dict[str, str]:
    """Every catalogue file of ``language`` (messages.po, cases.po, …) in one."""
    found: dict[str, str] = {}
    for path in catalogue_files(language):
        with path.open("rb") as handle:
            found |= {str(m.id): str(m.string) for m in read_po(handle) if m.id}
    return found


def test_every_message_is_translated_in_every_language() -> None:
    used = used_message_ids()
    assert len(used) > 200  # the scan finds the templates' and the code's texts
    for language in LANGUAGES:
        catalogue = _catalogue(language)
        missing = sorted(m for m in used if not catalogue.get(m))
        assert not missing, f"untranslated in {language}: {missing}"


def test_catalogues_are_read_without_a_compile_step() -> None:
    german = load_translations("de")
    assert german.gettext("Sign in") == "Anmelden"
    assert load_translations("en").gettext("Sign in") == "Sign in"
    assert money("1234.56", "de") == "1.234,56\u00a0€"


def test_placeholders_survive_translation() -> None:
    german = _catalogue("de")
    for message, text in german.items():
        for name in ("%(count)s", "%(date)s", "%(n)s", "%(max)s", "{total}", "{expected}"):
            assert (name in message) == (name in text), (message, text)
