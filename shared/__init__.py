"""Contracts and plumbing shared by every WIR service and the worker.

Event models, the JetStream bus, settings, the Temporal client factory and the
database helpers. Nothing here connects to anything at import time.
"""
