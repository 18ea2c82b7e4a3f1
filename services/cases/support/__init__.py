"""The support around a case: volunteer pools, lay interpreters' bookings, the employment
track and the district's employer contacts. Plain service features, no workflow."""
