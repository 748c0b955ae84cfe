"""The reference platform: the terminal contract (``platform-api.md`` v1) served locally.

For the demo and the tests, and as a runnable specification: persistent SQLite, signed
requests with nonce replay protection, idempotent event intake, OpenAPI at ``/openapi.json``,
a seeded demo hall, and fault switches (error rate, latency, drop after commit, clock skew,
nonsense bodies). Needs the ``platform`` extra (Flask).
"""
