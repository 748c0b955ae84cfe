"""Builders for the composition root (``kiosk.app.DEFAULT_BUILDERS``): one module per service."""
