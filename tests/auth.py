"""Bearer tokens for the tests, signed with a key made for this test run.

The session's services are configured with the same key (``auth_key_file`` in the
``settings`` fixture), so ``headers("rita", Role.reviewer)`` is what a signed-in reviewer
would send.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from shared.auth import Role, mint_token
from shared.settings import WirSettings


@functools.cache
def key_file() -> Path:
    return Path(tempfile.mkdtemp(prefix="wir-test-auth-")) / "signing-key.pem"


def token(
    user: str,
    *roles: Role,
    organisation: str | None = None,
    provider: str | None = None,
    settings: WirSettings | None = None,
    name: str | None = None,
) -> str:
    signing = settings or WirSettings(auth_key_file=key_file(), data_dir=key_file().parent)
    return mint_token(
        signing,
        user=user,
        roles=roles,
        organisation_id=organisation,
        provider_id=provider,
        display_name=name,
    )


def headers(
    user: str,
    *roles: Role,
    organisation: str | None = None,
    provider: str | None = None,
    settings: WirSettings | None = None,
    name: str | None = None,
) -> dict[str, str]:
    bearer = token(
        user, *roles, organisation=organisation, provider=provider, settings=settings, name=name
    )
    return {"Authorization": f"Bearer {bearer}"}


#: The staff the tests act as, by their user ids.
STAFF = {
    "petra.officer": Role.programme_officer,
    "rita.reviewer": Role.reviewer,
    "jonas.approver": Role.approver,
    "anna.cm": Role.case_manager,
    "olaf.operator": Role.operator,
    "ada.admin": Role.admin,
}
