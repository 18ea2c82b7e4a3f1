"""The event models of each domain; importing a module registers its types in the catalogue
(:func:`shared.contracts.envelope.catalogue`)."""
