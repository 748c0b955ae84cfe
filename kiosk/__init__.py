"""hall-kiosk: self-service terminals and queue machines for government service halls."""

__version__ = "0.1.0"
