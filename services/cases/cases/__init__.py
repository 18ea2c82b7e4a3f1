"""Refugee cases: intake, the commands on a case, the projection of its workflow's events,
the read queries and the erasure of the person's data."""
