"""The district's service catalogue: offers by category, language and place (public reads)."""
