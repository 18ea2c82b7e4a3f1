"""Messages the consumers gave up on (``GET /dead-letters``)."""
