"""Talking to the government service platform: signed client, sync engine, status events."""
