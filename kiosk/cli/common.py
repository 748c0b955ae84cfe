"""What most subcommands need first: validated settings, paths and logging."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from kiosk.logs import setup_logging
from kiosk.paths import Paths
from kiosk.settings import ConfigInvalid, Settings, load_settings
from kiosk.settings.load import Layer, env_layer, terminal_file, validate_layers
from kiosk.wiring.store import open_store
from offline_cache.errors import StoreError
from offline_cache.store import Store


class CliExit(SystemExit):
    pass


def load(args: argparse.Namespace, *, config_file: str | None = None) -> Settings:
    """Settings from --config (or the given file); a bad config ends the command with exit 2."""
    try:
        return load_settings(config_file if config_file is not None else args.config)
    except ConfigInvalid as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        print("configuration invalid; nothing started", file=sys.stderr)
        raise CliExit(2) from None


def file_to_write(args: argparse.Namespace) -> str:
    """The config a writing command changes: ``--out``, else the terminal's file (``--config``,
    ``$KIOSK_CONFIG``), else the installed location."""
    from kiosk.ops.provision import DEFAULT_CONFIG

    return str(args.out or terminal_file(args.config) or DEFAULT_CONFIG)


def with_overrides(settings_file: str, overrides: Mapping[str, Any], environ: Mapping[str, str]) -> Settings:
    """Defaults + file + generated overrides (demo emulator ports) + environment."""
    from pathlib import Path

    from kiosk.settings.load import default_layers, read_toml

    layers, errors = default_layers()
    data, file_errors = read_toml(Path(settings_file))
    errors.extend(file_errors)
    if data is not None:
        layers.append(Layer(settings_file, data))
    layers.append(Layer("demo setup", dict(overrides)))
    layers.append(env_layer(environ))
    if not errors:
        settings, errors = validate_layers(layers)
        if settings is not None:
            return settings
    for err in errors:
        print(err, file=sys.stderr)
    raise CliExit(2)


def start_logging(args: argparse.Namespace, settings: Settings, *, to_file: bool = True) -> Paths:
    paths = Paths.from_settings(settings.paths)
    lg = settings.logging
    setup_logging(
        args.log_level or lg.level,
        log_dir=paths.logs if to_file else None,
        json_lines=bool(args.log_json or lg.json),
        max_bytes=lg.max_bytes,
        backups=lg.backups,
    )
    return paths


def open_local_store(args: argparse.Namespace) -> tuple[Settings, Paths, Store] | None:
    """Settings, console logging and this terminal's database, for a command that reads or
    writes it (the caller closes the store); None, with the reason on stderr, when the database
    cannot be opened."""
    settings = load(args)
    paths = start_logging(args, settings, to_file=False)
    try:
        store = open_store(paths, settings.store)
    except StoreError as exc:
        print(getattr(exc, "message", None) or str(exc), file=sys.stderr)
        return None
    return settings, paths, store
