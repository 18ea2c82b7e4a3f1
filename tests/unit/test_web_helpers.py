"""The web front end's view helpers: formats, the API's refusals at the form's fields,
CSRF, session cookies, the form's cost rows and the OIDC sign-in's PKCE and state."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime

from starlette.datastructures import FormData

from services.web import i18n
from services.web.auth import pkce
from services.web.csrf import token_matches
from services.web.forms import FORM, from_problem, plain
from services.web.models import WebSession
from services.web.pages.application_form import from_form
from services.web.pages.language import local_path
from services.web.sessions import cookie_options, cookie_secure, digest, new_session
from shared.settings import WirSettings


def test_amounts_and_dates_in_the_readers_locale() -> None:
    assert i18n.money("1234.56", "de") == "1.234,56\u00a0€"
    assert i18n.money("1234.56", "en") == "€1,234.56"
    assert i18n.money(None, "de") == "\u2013"
    assert i18n.day("2027-01-31", "de") == "31.01.2027"
    assert i18n.day(date(2027, 1, 31), "en") == "31 Jan 2027"
    # a moment late in the evening UTC is the next day in Hesse
    assert i18n.day(datetime(2027, 1, 31, 23, 30, tzinfo=UTC), "de") == "01.02.2027"
    assert i18n.amount_input("1234.5", "de") == "1234,50"


def test_amounts_as_readers_type_them() -> None:
    assert str(i18n.parse_amount("1.234,56", "de")) == "1234.56"
    assert str(i18n.parse_amount("1234,5 €", "de")) == "1234.5"
    assert str(i18n.parse_amount("1,234.56", "en")) == "1234.56"
    assert i18n.parse_amount("hundert", "de") is None
    assert i18n.parse_amount("NaN", "en") is None
    assert i18n.parse_amount("  ", "de") is None


def test_field_errors_of_a_422_go_to_their_fields() -> None:
    known = ["title", "requested_amount", "funding_period_start", "cost_lines-0-amount"]
    errors = from_problem(
        [
            {
                "loc": ["body", "title"],
                "msg": "String should have at least 1 character",
                "type": "string_too_short",
            },
            {
                "loc": ["body", "cost_lines", 0, "amount"],
                "msg": "Input should be a valid decimal",
                "type": "decimal_parsing",
            },
            {
                "loc": ["body"],
                "type": "value_error",
                "msg": "Value error, requested_amount must equal total costs 100 minus own "
                "contribution 0 minus third-party contribution 0, i.e. 100",
            },
            {"loc": ["body"], "msg": "Value error, something else", "type": "value_error"},
        ],
        known,
    )
    assert errors.of("title") == ["Please fill in this field."]
    assert errors.of("cost_lines-0-amount") == ["Enter an amount, for example 1234,56."]
    assert errors.of("requested_amount") == [
        "The amount requested must be the total costs minus the contributions."
    ]
    assert errors.of(FORM) == ["something else"]


def test_a_body_check_goes_to_the_field_it_names_first() -> None:
    errors = from_problem(
        [{"loc": ["body"], "type": "value_error",
          "msg": "Value error, funding_period_start must not be after funding_period_end"}],
        ["funding_period_end", "funding_period_start"],
    )  # fmt: skip
    assert list(errors.fields) == ["funding_period_start"]


def test_csrf_token_is_the_sessions_own() -> None:
    _, session = new_session(WirSettings(), language="de")
    assert token_matches(session, session.csrf_token)
    assert not token_matches(session, session.csrf_token + "x")
    assert not token_matches(session, None)
    _, other = new_session(WirSettings(), language="de")
    assert not token_matches(other, session.csrf_token)


def test_session_ids_are_random_and_stored_hashed() -> None:
    raw, session = new_session(WirSettings(), language="fr")
    assert isinstance(session, WebSession)
    assert session.id_hash == digest(raw) == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in session.id_hash
    assert session.language == "de"  # only the languages there are
    assert new_session(WirSettings(), language="en")[0] != raw


def test_session_cookie_flags() -> None:
    assert not cookie_secure("127.0.0.1")
    assert not cookie_secure("localhost")
    assert cookie_secure("wir.example.de")
    options = cookie_options("wir.example.de")
    assert options == {"httponly": True, "samesite": "lax", "secure": True, "path": "/"}


def test_only_local_paths_to_go_back_to() -> None:
    assert local_path("/applications") == "/applications"
    assert local_path("//evil.example") == "/"
    assert local_path("https://evil.example/") == "/"
    assert local_path("/\\evil.example") == "/"


def test_cost_rows_added_and_removed_without_javascript() -> None:
    posted = [
        ("round_id", "r1"),
        ("cost_lines-0-category", "personnel"),
        ("cost_lines-0-description", "A"),
        ("cost_lines-0-amount", "1,00"),
        ("cost_lines-1-category", "nonsense"),
        ("cost_lines-1-description", "B"),
        ("cost_lines-1-amount", "2,00"),
    ]
    added, action = from_form(FormData([*posted, ("action", "add_row")]))
    assert action == "add_row" and len(added.rows) == 3
    assert added.rows[1].category == "other"
    removed, _ = from_form(FormData([*posted, ("action", "remove_row-0")]))
    assert [row.description for row in removed.rows] == ["B"]


def test_pkce_challenge_is_s256_of_the_verifier() -> None:
    login = pkce.new_login(now=1000.0)
    verifier = login["code_verifier"]
    assert 43 <= len(verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert pkce.code_challenge(verifier) == expected.rstrip(b"=").decode()
    url = pkce.authorization_url(
        "https://id.example/auth", client_id="wir-web", redirect_uri="https://wir/cb",
        scopes="openid profile", login=login,
    )  # fmt: skip
    assert "code_challenge_method=S256" in url and verifier not in url
    assert f"state={login['state']}" in url and f"nonce={login['nonce']}" in url


def test_state_must_match_and_be_fresh() -> None:
    login = pkce.new_login(now=1000.0)
    assert pkce.state_matches(login, login["state"], now=1010.0)
    assert not pkce.state_matches(login, login["state"] + "x", now=1010.0)
    assert not pkce.state_matches(login, None, now=1010.0)
    assert not pkce.state_matches({}, login["state"], now=1010.0)
    assert not pkce.state_matches(login, login["state"], now=1000.0 + pkce.LOGIN_SECONDS + 1)


def test_four_eyes_refusals_in_words() -> None:
    said = plain("rita reviewed this application and may not also decide (four-eyes)")
    assert said.startswith("You reviewed this application")
    assert plain("something else") == "something else"
