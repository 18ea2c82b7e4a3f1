"""The web front end as two copies behind the proxy: a signed-in user's session, its CSRF
token and the language chosen hold whichever copy answers, since sessions live in the
shared database."""

from __future__ import annotations

import re

import httpx

from tests.scale.conftest import Scale

USER = "anna.cm"


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def test_a_session_holds_on_either_copy_of_the_web_front_end(scale: Scale) -> None:
    copies = scale.stack.web
    assert len(copies) == 2 and scale.stack.web_proxy is not None
    before = {child.name: scale.served(child) for child in copies}
    async with httpx.AsyncClient(base_url=scale.web_url, timeout=60) as web:
        form = await web.get("/sign-in")
        assert form.status_code == 200, form.text
        signed_in = await web.post(
            "/sign-in",
            data={"csrf_token": _csrf(form.text), "user": USER, "roles": "case_manager"},
        )
        assert signed_in.status_code == 303, signed_in.text
        # the proxy alternates: these pages come from both copies, each knows the session
        tokens = set()
        for _ in range(4):
            page = await web.get("/cases")
            assert page.status_code == 200, page.text
            assert USER in page.text
            tokens.add(_csrf(page.text))
        assert len(tokens) == 1, "one session, one CSRF token, whichever copy answered"
        # a form sent to the other copy than the one that rendered it is accepted
        chosen = await web.post(
            "/language", data={"csrf_token": tokens.pop(), "language": "en", "next": "/cases"}
        )
        assert chosen.status_code == 303, chosen.text
        for _ in range(2):
            page = await web.get("/cases")
            assert page.status_code == 200 and 'lang="en"' in page.text, page.text[:300]
    served = {child.name: scale.served(child) - before[child.name] for child in copies}
    assert all(count > 0 for count in served.values()), served
    print(f"\nweb requests per copy: {served}")
