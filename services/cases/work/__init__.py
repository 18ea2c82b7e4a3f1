"""A case manager's work: tasks raised by the cases' deadlines, caseloads, sharing a case
with colleagues, and the district's anonymous figures."""
