"""Recipients and webhooks the operators register."""
