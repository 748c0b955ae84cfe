"""Provisioning: give a terminal its identity on the platform, and prove it works before saving.

The terminal's config file gets ``[terminal] id`` and the ``[platform]`` keys; everything else
already in the file (profile, devices...) is kept. The secret is copied next to the config
(mode 0600) unless it is already there. Both files are written atomically, owned by the kiosk
user when run as root, so the service (which runs as that user) can read them and nobody else
can. The secret is never printed, logged or put in an error message.
"""

from __future__ import annotations

import os
import pwd
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.ops import tomlwrite
from kiosk.ops.files import write_private
from kiosk.platform.client import AuthFailed, ClientConfig, PlatformClient, PlatformError, Rejected
from kiosk.platform.signing import SecretError, load_secret
from kiosk.settings.load import check_document, read_toml

DEFAULT_CONFIG = Path("/etc/hall-kiosk/terminal.toml")
SECRET_NAME = "secret"
BROKER_CREDENTIALS = "broker.toml"
KIOSK_USER = "kiosk"
_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_URL = re.compile(r"https?://[^\s/?#]+(/[^\s?#]*)?")


class ProvisionError(Exception):
    """A sentence for the technician; the exit code says which step failed."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@dataclass(frozen=True)
class Request:
    terminal_id: str
    hall_id: str
    platform_url: str
    secret_file: Path
    config_file: Path = DEFAULT_CONFIG
    profile: str | None = None
    ca_bundle: str = ""
    check: bool = True
    owner: str | None = None
    """User to own the files; default: ``kiosk`` when run as root and that user exists."""
    hall_role: str | None = None
    """``[hall] role`` (standalone, host, member); None leaves the hall bus settings alone."""
    broker_url: str = ""
    broker_password_file: Path | None = None
    """This terminal's broker password (from the host's terminal list): written with the
    terminal id as user to ``broker.toml`` next to the config (0600), never printed."""


@dataclass(frozen=True)
class Result:
    config_file: Path
    secret_file: Path
    secret_bytes: int
    hall_name: str | None
    """From the platform's hall profile; None with --no-check."""
    backup: Path | None


def check_inputs(req: Request) -> bytes:
    problems = []
    if not _ID.fullmatch(req.terminal_id):
        problems.append("--terminal-id must be 1-64 letters, digits, '.', '_' or '-'")
    if not _ID.fullmatch(req.hall_id):
        problems.append("--hall-id must be 1-64 letters, digits, '.', '_' or '-'")
    if not _URL.fullmatch(req.platform_url):
        problems.append("--platform-url must be an http:// or https:// URL")
    if problems:
        raise ProvisionError("; ".join(problems))
    try:
        return load_secret(req.secret_file)
    except SecretError as exc:
        raise ProvisionError(str(exc)) from None


def check_platform(req: Request, secret: bytes, timeout_s: float = 10.0) -> str:
    """A signed GET of the hall profile: proves URL, terminal id, secret and hall id together."""
    client = PlatformClient(
        ClientConfig(req.platform_url, req.terminal_id, req.hall_id, secret, req.ca_bundle, timeout_s)
    )
    try:
        hall = client.hall()
    except AuthFailed as exc:
        raise ProvisionError(
            f"the platform refused this terminal ({exc.message}): check --terminal-id and the secret "
            "file issued for it",
            3,
        ) from None
    except Rejected as exc:
        what = f"hall {req.hall_id!r} is unknown to the platform" if exc.status == 404 else exc.message
        raise ProvisionError(f"the platform rejected the check: {what}", 3) from None
    except PlatformError as exc:
        raise ProvisionError(
            f"cannot check against the platform: {exc.message}. Nothing was written; fix the network "
            "or URL, or provision offline with --no-check",
            3,
        ) from None
    finally:
        client.close()
    return str(hall.get("name", ""))


def merged_config(req: Request, secret_path: Path) -> tuple[dict[str, Any], str | None]:
    """The existing file's tables with the provisioning keys set; (doc, previous text)."""
    doc: dict[str, Any] = {}
    previous: str | None = None
    if req.config_file.exists():
        data, errors = read_toml(req.config_file)
        if errors or data is None:
            raise ProvisionError(
                f"{req.config_file} is not a valid config ({'; '.join(str(e) for e in errors)}); "
                "fix or move it first"
            )
        doc = data
        previous = req.config_file.read_text(encoding="utf-8")
    terminal = doc.setdefault("terminal", {})
    terminal["id"] = req.terminal_id
    if req.profile:
        terminal["profile"] = req.profile
    platform = doc.setdefault("platform", {})
    platform.update(
        url=req.platform_url, terminal_id=req.terminal_id, hall_id=req.hall_id, secret_file=str(secret_path)
    )
    if req.ca_bundle:
        platform["ca_bundle"] = req.ca_bundle
    if req.hall_role:
        hall = doc.setdefault("hall", {})
        hall["role"] = req.hall_role
        if req.broker_url:
            hall["broker_url"] = req.broker_url
        if req.broker_password_file is not None:
            hall["credentials_file"] = str(req.config_file.parent / BROKER_CREDENTIALS)
    settings, errors = check_document(str(req.config_file), doc)
    if settings is None:
        raise ProvisionError("the resulting config would be invalid: " + "; ".join(str(e) for e in errors))
    return doc, previous


def _broker_password(path: Path) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ProvisionError(f"cannot read the broker password file {path}: {exc.strerror}") from None
    if not value or any(ch in value for ch in '"\\\n') or len(value) > 256:
        raise ProvisionError(f"{path}: the broker password must be one line without quotes or backslashes")
    return value


def _owner_ids(req: Request) -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    name = req.owner or KIOSK_USER
    try:
        pw = pwd.getpwnam(name)
    except KeyError:
        if req.owner:
            raise ProvisionError(f"user {name!r} does not exist") from None
        return None
    return pw.pw_uid, pw.pw_gid


def provision(req: Request) -> Result:
    secret = check_inputs(req)
    secret_path = req.config_file.parent / SECRET_NAME
    doc, previous = merged_config(req, secret_path)
    hall_name = check_platform(req, secret) if req.check else None
    owner = _owner_ids(req)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = tomlwrite.dumps(
        doc,
        header=f"Terminal config, written by `kiosk provision` at {stamp}.\n"
        "Check it with: kiosk config check <this file>",
    )
    if tomllib.loads(text) != doc:  # the writer must round-trip exactly; never save a surprise
        raise ProvisionError("internal error: the config could not be written faithfully", 1)
    backup = None
    try:
        if previous is not None and previous != text:
            backup = req.config_file.with_name(req.config_file.name + ".bak")
            write_private(backup, previous.encode("utf-8"), owner)
        if req.secret_file.resolve() != secret_path.resolve():
            write_private(secret_path, secret.hex().encode("ascii") + b"\n", owner)
        elif owner is not None or (secret_path.stat().st_mode & 0o077):
            write_private(secret_path, secret_path.read_bytes(), owner)
        if req.hall_role and req.broker_password_file is not None:
            password = _broker_password(req.broker_password_file)
            cred = f'user = "{req.terminal_id}"\npassword = "{password}"\n'
            write_private(req.config_file.parent / BROKER_CREDENTIALS, cred.encode("utf-8"), owner)
        write_private(req.config_file, text.encode("utf-8"), owner)
    except OSError as exc:
        raise ProvisionError(f"cannot write {exc.filename or req.config_file}: {exc.strerror}", 1) from None
    return Result(req.config_file, secret_path, len(secret), hall_name, backup)
