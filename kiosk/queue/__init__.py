"""The queue: numbers, priorities, counters, calls, wait estimates and statistics.

``engine`` is the pure state machine (no I/O, virtual time passed in); ``ledger`` persists each
of its mutations as one store transaction with its outbox events; ``service`` puts the two
together with the devices and the event bus.
"""
