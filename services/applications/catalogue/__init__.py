"""The programme's catalogue: applicant organisations, the funding priorities with their
eligibility rules and review criteria, and the reference data they are checked against."""
