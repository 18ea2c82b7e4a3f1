"""The NATS server configuration WIR ships (wir.conf, a template) and its users."""
