"""Factories per app: accounts, consent, journal. Minimal valid objects with traits."""
