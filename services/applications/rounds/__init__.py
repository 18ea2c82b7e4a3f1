"""Funding rounds (a call for applications with its window and periods) and their budgets."""
