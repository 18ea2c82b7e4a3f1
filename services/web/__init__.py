"""The web front end: server-rendered pages acting for the signed-in user against the APIs."""
