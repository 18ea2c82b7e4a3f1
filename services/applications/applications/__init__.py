"""Grant applications: drafts, submission, the applicant's commands, and the one command
path every command on an application takes."""
