"""Plumbing shared by every WIR process, and the contracts between them (``shared.contracts``).

Plumbing: settings, the JetStream bus, the Temporal client factory and payload codec, the
database and migration helpers, authentication, audit, problem details, pagination, the
command gateway and the projection skeleton. Nothing here connects at import time.
"""
