"""Layered loading: shipped defaults, then the terminal's file, then ``KIOSK_*`` variables.

Layers are merged as plain tables first, remembering which layer set each key, and validated
once; every error is then attributed to the file (or variable) that set the offending key.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, get_type_hints

from kiosk.settings import validate
from kiosk.settings.errors import ConfigError, ConfigInvalid
from kiosk.settings.schema import Settings

ENV_PREFIX = "KIOSK_"
ENV_SEPARATOR = "__"
_ENV_RESERVED = {"KIOSK_CONFIG", "KIOSK_DATA_DIR", "KIOSK_HARDWARE_TESTS"}
MAX_DEPTH = 8
"""Tables and lists nested deeper than this are refused: the schema's deepest key is 4 levels
down, and the validator (like ``tomllib`` itself) recurses."""


def shipped_config_dir() -> Path:
    """``config/`` of a checkout, or the copy installed with the wheel as ``kiosk.defaults``."""
    checkout = Path(__file__).resolve().parents[2] / "config"
    if (checkout / "default.toml").is_file():
        return checkout
    return Path(str(resources.files("kiosk.defaults")))


@dataclasses.dataclass
class Layer:
    source: str
    data: dict[str, Any]
    errors: list[ConfigError] = dataclasses.field(default_factory=list)
    """Problems found while building the layer (an environment variable that cannot be used)."""


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Iteratively, so the check itself cannot exhaust the stack."""
    todo = [(value, 0)]
    while todo:
        v, depth = todo.pop()
        if isinstance(v, dict | list):
            if depth >= limit:
                return True
            todo.extend((x, depth + 1) for x in (v.values() if isinstance(v, dict) else v))
    return False


def read_toml(path: Path) -> tuple[dict[str, Any] | None, list[ConfigError]]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        if too_deep(data):
            return None, [ConfigError(str(path), "<syntax>", f"nested deeper than {MAX_DEPTH} levels")]
        return data, []
    except RecursionError:
        return None, [ConfigError(str(path), "<syntax>", f"nested deeper than {MAX_DEPTH} levels")]
    except FileNotFoundError:
        return None, [ConfigError(str(path), "<file>", "file not found")]
    except PermissionError:
        return None, [ConfigError(str(path), "<file>", "permission denied")]
    except UnicodeDecodeError:
        return None, [ConfigError(str(path), "<syntax>", "not UTF-8 text")]
    except tomllib.TOMLDecodeError as exc:
        return None, [ConfigError(str(path), "<syntax>", f"not valid TOML: {exc}")]
    except IsADirectoryError:
        return None, [ConfigError(str(path), "<file>", "is a directory, not a file")]


def _field_type(path: list[str]) -> Any:
    """The declared type at a dotted path, to coerce an environment string sensibly."""
    tp: Any = Settings
    for part in path:
        if dataclasses.is_dataclass(tp):
            hints = get_type_hints(tp)
            if part not in hints:
                return None
            tp = hints[part]
        elif getattr(tp, "__origin__", None) is dict:
            tp = tp.__args__[1]
        else:
            return None
    return tp


def env_layer(environ: Mapping[str, str]) -> Layer:
    """``KIOSK_TERMINAL__LANGUAGE=en`` sets ``terminal.language``; values are TOML literals
    (``60``, ``true``, ``"x"``) or else plain strings."""
    data: dict[str, Any] = {}
    errors: list[ConfigError] = []
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or name in _ENV_RESERVED:
            continue
        parts = [p.lower() for p in name[len(ENV_PREFIX) :].split(ENV_SEPARATOR)]
        if len(parts) < 2 or not all(parts):
            continue
        if len(parts) > MAX_DEPTH or len(raw) > 64 * 1024:
            errors.append(ConfigError(name, ".".join(parts)[:200], "variable name or value too long"))
            continue
        if _field_type(parts) is str:
            value: Any = raw
        else:
            try:
                value = tomllib.loads(f"v = {raw}")["v"]
            except (tomllib.TOMLDecodeError, RecursionError):
                value = raw
            if too_deep(value, MAX_DEPTH - len(parts)):
                errors.append(ConfigError(name, ".".join(parts), f"nested deeper than {MAX_DEPTH} levels"))
                continue
        node = data
        for part in parts[:-1]:
            nxt = node.setdefault(part, {})
            if not isinstance(nxt, dict):
                errors.append(ConfigError(name, ".".join(parts), f"{part} is set by another variable"))
                break
            node = nxt
        else:
            node[parts[-1]] = value
    if "KIOSK_DATA_DIR" in environ:
        data.setdefault("paths", {})["data_dir"] = environ["KIOSK_DATA_DIR"]
    return Layer("environment", data, errors)


def merge(layers: list[Layer]) -> tuple[dict[str, Any], dict[str, str]]:
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}

    def walk(dst: dict[str, Any], src: Mapping[str, Any], prefix: str, source: str) -> None:
        for key, value in src.items():
            dotted = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict) and isinstance(dst.get(key), dict):
                walk(dst[key], value, dotted, source)
            else:
                dst[key] = _deepcopy(value)
                origin[dotted] = source

    for layer in layers:
        walk(merged, layer.data, "", layer.source)
    return merged, origin


def _deepcopy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deepcopy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deepcopy(v) for v in value]
    return value


def _source_of(key: str, origin: Mapping[str, str], fallback: str) -> str:
    probe = key
    while probe:
        if probe in origin:
            return origin[probe]
        probe = probe.rpartition(".")[0]
    return fallback


def validate_layers(layers: list[Layer]) -> tuple[Settings | None, list[ConfigError]]:
    merged, origin = merge(layers)
    errors: list[ConfigError] = [e for layer in layers for e in layer.errors]
    if errors:
        return None, errors
    fallback = layers[-1].source if layers else "<config>"

    def report(key: str, reason: str) -> None:
        errors.append(ConfigError(_source_of(key, origin, fallback), key, reason))

    result = validate.build(Settings, merged, "", report)
    errors.extend(_cross_checks(result, origin, fallback) if not errors else [])
    if errors or validate.is_missing(result):
        return None, errors
    return result, []


def _cross_checks(settings: Settings, origin: Mapping[str, str], fallback: str) -> list[ConfigError]:
    out: list[ConfigError] = []
    t = settings.terminal
    if t.profile == "counter" and t.counter < 1:
        out.append(
            ConfigError(
                _source_of("terminal.counter", origin, fallback),
                "terminal.counter",
                "the counter profile needs the window number (1 or more)",
            )
        )
    p = settings.platform
    if p.url and not (p.terminal_id and p.hall_id and p.secret_file):
        out.append(
            ConfigError(
                _source_of("platform.url", origin, fallback),
                "platform",
                "url is set, so terminal_id, hall_id and secret_file are required",
            )
        )
    return out


def default_layers() -> tuple[list[Layer], list[ConfigError]]:
    path = shipped_config_dir() / "default.toml"
    data, errors = read_toml(path)
    return ([Layer(str(path), data)] if data is not None else []), errors


def terminal_file(
    config_file: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The terminal's own file: the one named, else ``$KIOSK_CONFIG``; None means defaults only.
    Loading, reloading and editing the config must all mean the same file."""
    if config_file is not None:
        return os.fspath(config_file)
    env = os.environ if environ is None else environ
    return env.get("KIOSK_CONFIG") or None


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Defaults, then ``config_file`` (or ``$KIOSK_CONFIG``), then ``KIOSK_*``; raises ConfigInvalid."""
    env = os.environ if environ is None else environ
    layers, errors = default_layers()
    chosen = terminal_file(config_file, env)
    if chosen is not None:
        data, file_errors = read_toml(Path(chosen))
        errors.extend(file_errors)
        if data is not None:
            layers.append(Layer(str(chosen), data))
    layers.append(env_layer(env))
    if errors:
        raise ConfigInvalid(errors)
    settings, errors = validate_layers(layers)
    if settings is None:
        raise ConfigInvalid(errors)
    return settings


def check_file(path: str | os.PathLike[str]) -> tuple[Settings | None, list[ConfigError]]:
    """Validate one terminal file on top of the shipped defaults (no environment)."""
    data, errors = read_toml(Path(path))
    if errors or data is None:
        return None, errors
    return check_document(str(path), data)


def check_document(source: str, data: dict[str, Any]) -> tuple[Settings | None, list[ConfigError]]:
    """Validate a terminal file's contents before they are written (provision, in-place edits),
    on top of the shipped defaults; errors name ``source``."""
    layers, errors = default_layers()
    if errors:
        return None, errors
    return validate_layers([*layers, Layer(source, data)])
