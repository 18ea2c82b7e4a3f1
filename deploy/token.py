"""``wir token``: mint a bearer token with the embedded default's local key.

For the single-machine setup and for trying the API; in production an OIDC issuer hands out
tokens and the services verify them against its JWKS (``WIR_AUTH_JWKS_URL``).
"""

from __future__ import annotations

import argparse

from shared.auth import Role, mint_token
from shared.settings import WirSettings

NEEDS_ORGANISATION = {Role.applicant}
NEEDS_PROVIDER = {Role.provider}


def add_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    token = commands.add_parser(
        "token",
        help="print a bearer token signed with the local key (embedded default only)",
        description="Print a bearer token for the local setup, e.g. "
        "`wir token --role case_manager --user anna`.",
    )
    token.add_argument(
        "--role",
        dest="roles",
        action="append",
        required=True,
        choices=[role.value for role in Role],
        help="a role of the user; repeat for several",
    )
    token.add_argument("--user", required=True, help="the user id the token names (sub)")
    token.add_argument("--organisation", help="the organisation an applicant acts for (its id)")
    token.add_argument(
        "--provider", help="the provider id (slug) of a provider account, e.g. vhs-marburg"
    )
    token.add_argument(
        "--name", help="the display name (claim name) letters signed by this user show"
    )
    token.add_argument("--minutes", type=int, help="lifetime (default WIR_AUTH_TOKEN_MINUTES)")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    settings = WirSettings()
    if settings.auth_jwks_url:
        parser.error("WIR_AUTH_JWKS_URL is set: tokens come from that issuer, not from wir token")
    roles = {Role(name) for name in args.roles}
    if roles & NEEDS_ORGANISATION and not args.organisation:
        parser.error("an applicant token needs --organisation <organisation id>")
    if roles & NEEDS_PROVIDER and not args.provider:
        parser.error("a provider token needs --provider <provider id>")
    longest = settings.auth_max_token_minutes
    if args.minutes is not None and not 1 <= args.minutes <= longest:
        parser.error(f"--minutes must be between 1 and {longest} (WIR_AUTH_MAX_TOKEN_MINUTES)")
    if args.minutes is None and settings.auth_token_minutes > longest:
        parser.error(f"WIR_AUTH_TOKEN_MINUTES is above WIR_AUTH_MAX_TOKEN_MINUTES ({longest})")
    print(
        mint_token(
            settings,
            user=args.user,
            roles=roles,
            organisation_id=args.organisation,
            provider_id=args.provider,
            minutes=args.minutes,
            display_name=args.name,
        )
    )
    return 0
