"""E-mail and webhook deliveries, their retries and the delivery log."""
