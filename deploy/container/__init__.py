"""The one container image of WIR's own processes (deploy/container/Dockerfile)."""
