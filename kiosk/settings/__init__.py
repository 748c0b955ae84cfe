"""Typed, validated configuration: schema, layered loading, error reporting."""

from kiosk.settings.errors import ConfigError, ConfigInvalid
from kiosk.settings.load import load_settings, shipped_config_dir
from kiosk.settings.schema import Settings

__all__ = ["ConfigError", "ConfigInvalid", "Settings", "load_settings", "shipped_config_dir"]
