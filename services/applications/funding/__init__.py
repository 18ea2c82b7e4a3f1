"""The funding period: Mittelabruf, Änderungsantrag, reports and Rückforderung."""
