"""Contracts: what a service, its workflow and the event subscribers agree on.

Everything in this package crosses a process boundary and is stored by someone else:
workflow inputs, commands and results (``grants``, ``cases``), the eligibility rules a
round stores and the workflow evaluates (``eligibility``), the programme's report
calendar (``report_dates``), the CloudEvents envelope and every event model
(``envelope``, ``events``), and the names of the durable consumers (``consumers``).

A change here may meet workflows that are already running and events that are already
stored: add fields with defaults, never rename or remove one without the versioning steps
in docs/versioning.md.
"""
