"""Shipped configuration files (installed as the ``kiosk.defaults`` package)."""
