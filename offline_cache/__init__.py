"""The kiosk's local store: one SQLite file that records everything before the network hears of it.

``Store`` (single writer, concurrent readers), the ``outbox`` of events for the platform,
numbered schema ``migrations``, the service catalog with Chinese and pinyin search, the hall
profile, appointments, the case cache and the quarantine.
"""
