"""The codec server: decrypts and encrypts Temporal payloads for operators (Web UI, CLI)."""
