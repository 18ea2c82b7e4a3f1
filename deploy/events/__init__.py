"""Tooling around the event catalogue: docs generation, the conformance check and
``wir events tail``."""
