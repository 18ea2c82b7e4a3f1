"""Pages rendered with Jinja2: one environment per language, the reader's formats as filters.

:func:`page` renders a template with what every page needs: the signed-in user and their
navigation, the CSRF token, the language and a one-time message (POST-redirect-GET).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.support import Translations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.web import i18n
from services.web.case_labels import CASE_GLOBALS
from services.web.coordination_labels import COORDINATION_GLOBALS
from services.web.labels import GLOBALS
from services.web.navigation import navigation
from services.web.sessions import LANGUAGES

TEMPLATES = Path(__file__).parent / "templates"
#: Nothing but the app's own files: no inline script or style, no other origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # pages show personal data: not kept in shared caches or the browser's history cache
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Renderer:
    environments: dict[str, Environment]
    translations: dict[str, Translations]

    def gettext(self, language: str, message: str) -> str:
        return str(self.translations[language].gettext(message))


def _environment(language: str, translations: Translations) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["money"] = lambda value: i18n.money(value, language)
    env.filters["number"] = lambda value: i18n.number(value, language)
    env.filters["day"] = lambda value: i18n.day(value, language)
    env.filters["moment"] = lambda value: i18n.moment(value, language)
    env.filters["amount_input"] = lambda value: i18n.amount_input(value, language)
    env.globals["language"] = language
    env.globals.update(GLOBALS)
    env.globals.update(CASE_GLOBALS)
    env.globals.update(COORDINATION_GLOBALS)
    return env


def build_renderer() -> Renderer:
    translations = {lang: i18n.load_translations(lang) for lang in LANGUAGES}
    return Renderer(
        environments={lang: _environment(lang, translations[lang]) for lang in LANGUAGES},
        translations=translations,
    )


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    renderer: Renderer = request.app.state.renderer
    web = request.state.web
    env = renderer.environments[web.language]
    flash = web.flash
    web.flash = None
    html = env.get_template(template).render(
        request_path=request.url.path,
        user=web.user and {"id": web.user, "name": web.display_name or web.user},
        nav=navigation(web.roles, request.url.path) if web.user else navigation([], ""),
        csrf_token=web.csrf_token,
        flash=flash and renderer.gettext(web.language, flash),
        languages=LANGUAGES,
        demo_sign_in=not request.app.state.settings.oidc_issuer,
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers=HEADERS)
