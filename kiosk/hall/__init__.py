"""The hall bus: one queue for a hall of many devices over MQTT (docs/hall-bus.md)."""
