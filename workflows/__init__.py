"""Temporal workflows and activities of WIR, and the worker that runs them."""
