"""The local SQLite store, the outbox and the sync engine."""
