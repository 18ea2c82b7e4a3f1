"""The notifications addressees read (``GET /notifications``)."""
