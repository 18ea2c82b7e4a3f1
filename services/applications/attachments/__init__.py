"""Documents the applicant attaches to an application and to its reports."""
