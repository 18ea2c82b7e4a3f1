"""Reference data of the programme: Hessen's regional bodies and the seeded priorities."""
