"""One settings object for every WIR process, read from ``WIR_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class WirSettings(BaseSettings):
    """Where the parts of WIR live and how long the programme's periods are.

    The defaults describe the embedded single-machine setup that ``make up`` starts.
    """

    model_config = SettingsConfigDict(env_prefix="WIR_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    host: str = "127.0.0.1"

    # Ports of the embedded setup (deploy/run.py). 4222 and 5432 are left alone on purpose:
    # other servers often hold them.
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    nats_port: int = 14222
    applications_port: int = 8001
    cases_port: int = 8002
    notifications_port: int = 8003
    coordination_port: int = 8005
    # The worker's metrics (workflows/worker.py, docs/metrics.md): the Temporal SDK's own
    # series on the first port, WIR's series of the worker process on the second.
    worker_metrics_port: int = 8006
    worker_wir_metrics_port: int = 8007

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "wir"
    # How long a call keeps retrying an unreachable Temporal server before it fails (503).
    temporal_retry_seconds: float = Field(default=2.0, gt=0)

    nats_url: str = "nats://127.0.0.1:14222"
    # This process's own NATS user (deploy/nats/wir.conf gives each process one with least
    # privileges; `make up` sets both per child). Unset: connect without credentials.
    nats_user: str | None = None
    nats_password: SecretStr | None = None
    stream_name: str = "WIR"
    # Longer than any retry of the publishing activity can plausibly last, so the stream
    # itself drops a re-published event; consumers also de-duplicate on the event id.
    stream_duplicate_window_seconds: float = 2 * 60 * 60
    stream_max_age_days: int = 365
    consumer_max_deliver: int = 10
    consumer_ack_wait_seconds: float = 30.0
    # Stream retention besides max age, in bytes (-1: none). 10 GiB holds well over a year of
    # WIR's events (a few hundred bytes to ~2 KB each) yet bounds the disk a flood can take;
    # past it the oldest events go. nats-server's max_file_store must allow it.
    stream_max_bytes: int = 10 * 1024**3
    # Delay before delivery n+1 of a failed message (the last value repeats); a message
    # that fails consumer_max_deliver times goes to the dead-letter stream.
    consumer_backoff_seconds: list[float] = Field(default=[1.0, 5.0, 30.0, 120.0, 600.0])
    deadletter_stream_name: str = "WIR_DEADLETTER"
    deadletter_max_age_days: int = 90
    # Copies of each stream in a JetStream cluster (1 on a single server, 3 on three nodes).
    stream_replicas: int = Field(default=1, ge=1, le=5)

    # Bearer tokens (shared/auth.py). With auth_jwks_url set, tokens come from that OIDC
    # issuer; otherwise from the local Ed25519 key (auth_key_file, default
    # <data_dir>/auth/signing-key.pem, made on first use) that `wir token` signs with.
    auth_issuer: str = "wir-local"
    auth_audience: str = "wir"
    auth_jwks_url: str | None = None
    auth_roles_claim: str = "roles"
    auth_key_file: Path | None = None
    auth_token_minutes: int = Field(default=8 * 60, ge=1, le=60 * 24 * 30)
    auth_leeway_seconds: int = Field(default=30, ge=0, le=300)
    # The longest lifetime a token may have (exp minus iat, or minus now without iat): a
    # longer one is refused, however well signed. The first applies to the local key's
    # tokens (and bounds auth_token_minutes), the second to an OIDC issuer's (auth_jwks_url).
    auth_max_token_minutes: int = Field(default=12 * 60, ge=1, le=60 * 24 * 30)
    auth_jwks_max_token_minutes: int = Field(default=24 * 60, ge=1, le=60 * 24 * 30)

    @field_validator("auth_jwks_url")
    @classmethod
    def _jwks_over_https(cls, url: str | None) -> str | None:
        """The keys that make a token valid come from this address: over plain HTTP anyone
        on the way could hand WIR their own. Loopback addresses (a local test issuer) may
        use HTTP."""
        if not url:
            return None
        parts = urlsplit(url)
        loopback = parts.hostname in {"localhost", "127.0.0.1", "::1"}
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
            raise ValueError("WIR_AUTH_JWKS_URL must be an https:// address")
        return url

    # Temporal payload encryption (shared/payloads/codec.py). WIR_PAYLOAD_KEYS, JSON
    # {"current": id, "keys": {id: base64 AES-256 key}}, wins over the keys file (default
    # <data_dir>/keys/payload-keys.json, made with mode 0600 on first use; `wir keys rotate`).
    payload_keys: SecretStr | None = None
    payload_keys_file: Path | None = None
    # The codec server for the Temporal Web UI (services/codec/app.py); CORS lets the UI's
    # origins in (default: http://127.0.0.1:<temporal_ui_port> and http://localhost:<…>).
    codec_port: int = 8004
    codec_cors_origins: list[str] | None = None

    # Observability (docs/metrics.md). Set: GET /metrics wants "Authorization: Bearer
    # <token>" on every process; unset (the embedded default): open, on WIR_HOST only.
    metrics_token: SecretStr | None = None
    # Log lines on stderr: one JSON object each (json) or plain text (text) (shared/logs.py).
    log_format: Literal["json", "text"] = "json"

    # Request bodies longer than this are refused with 413 (shared/limits.py).
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Requests refused for want of a valid token, per client address (IPv6: per /64) and
    # minute; past it every unauthenticated request from there gets 429 (shared/limits.py).
    unauthenticated_per_minute: int = Field(default=60, ge=1)
    # Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto WIR believes
    # (shared/serving.py); empty: none, the TCP peer is the client (also on loopback, so a
    # local client cannot pick the address the limit counts).
    trusted_proxies: list[str] = Field(default=[])
    # Slow clients (shared/serving.py): a request's headers must arrive within
    # header_read_seconds, its body within body_read_seconds (else 408); an idle keep-alive
    # connection closes after keep_alive_seconds; past max_connections open connections
    # new requests get 503.
    header_read_seconds: float = Field(default=10.0, gt=0)
    body_read_seconds: float = Field(default=30.0, gt=0)
    keep_alive_seconds: float = Field(default=5.0, gt=0)
    max_connections: int = Field(default=200, ge=1)

    # Traces (shared/tracing.py, docs/tracing.md): unset, nothing is traced. Set, each process
    # sends its spans by OTLP over HTTP/protobuf to this collector, e.g. http://127.0.0.1:4318
    # (/v1/traces is added unless the URL names a path); the OTEL_EXPORTER_OTLP_* and
    # OTEL_BSP_* variables of OpenTelemetry tune the exporter and its batches. Of the traces
    # that start in WIR, this fraction is kept (a caller's sampling decision is followed).
    otlp_endpoint: str | None = None
    trace_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)

    # Attachments (shared/files/): the largest file one upload may carry. Upload routes take
    # a body this long plus a little for the form around it; every other route keeps
    # max_body_bytes. The files live under <data_dir>/attachments/<service>.
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=1024**3)

    # "{service}" is replaced by the service's name, so the SQLite default gives each
    # service its own file. A PostgreSQL URL without the placeholder is shared; the
    # services still own disjoint tables there.
    # Unset: one SQLite file per service under data_dir.
    database_url: str | None = None

    # Programme periods (days).
    reopen_window_days: int = Field(default=365, ge=1)
    # Letters of the applications service (issue 13): the display names of staff who sign a
    # Zuwendungsbescheid or Rückforderungsbescheid, by user id, JSON, e.g.
    # WIR_STAFF_DIRECTORY='{"jonas": "Jonas Becker"}'. A token's `name` claim wins (the
    # service remembers it from the staff member's commands); without either, the user id.
    staff_directory: dict[str, str] = Field(default_factory=dict)
    # Refugee cases (issue 4): the deadlines each case's workflow keeps.
    referral_reminder_days: int = Field(default=7, ge=1)
    referral_escalation_days: int = Field(default=7, ge=1)
    follow_up_schedule_days: list[int] = Field(default=[30, 91, 182])
    case_inactivity_days: int = Field(default=90, ge=1)
    case_retention_days: int = Field(default=1095, ge=1)
    # Working groups of the coordination office (issue 15): the coordinator is reminded to
    # send a meeting's invitation this many days before it; an action item's owner this
    # many days before it is due (a group may set its own).
    coordination_invitation_lead_days: int = Field(default=14, ge=1, le=90)
    coordination_item_reminder_days: int = Field(default=3, ge=1, le=60)

    def database_url_for(self, service: str) -> str:
        url = self.database_url or f"sqlite+aiosqlite:///{self.data_dir}/{{service}}.db"
        return url.replace("{service}", service)

    # --- web front end (services/web) -------------------------------------------------
    # The pages for people (services/web/app.py); they call the three APIs over HTTP as the
    # signed-in user. Unset API URLs: http://<host>:<the service's port>.
    web_port: int = 8000
    web_applications_url: str | None = None
    web_cases_url: str | None = None
    web_notifications_url: str | None = None
    web_coordination_url: str | None = None
    # How long a session lasts without use, and at most (minutes).
    web_session_idle_minutes: int = Field(default=60, ge=1, le=24 * 60)
    web_session_max_minutes: int = Field(default=8 * 60, ge=1, le=24 * 60)
    # OpenID Connect sign-in (authorization code + PKCE). Unset issuer: the local demo
    # sign-in that mints tokens with the local key (embedded default only).
    oidc_issuer: str | None = None
    oidc_client_id: str = "wir-web"
    oidc_client_secret: SecretStr | None = None
    oidc_redirect_url: str | None = None
    oidc_scopes: str = "openid profile"

    def web_api_url(self, service: str) -> str:
        """Base URL of a service's API as the web front end calls it."""
        configured = getattr(self, f"web_{service}_url")
        if configured:
            return str(configured).rstrip("/")
        return f"http://{self.host}:{getattr(self, f'{service}_port')}"
