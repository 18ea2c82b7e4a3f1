"""Documents a case manager attaches to a case (a consent form's scan, a certificate)."""
