"""Running WIR: the embedded single-machine launcher and the ``wir`` command."""
