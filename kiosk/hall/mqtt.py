"""One MQTT v5 connection (paho-mqtt 2.x) that stays up: jittered reconnect, resubscribe.

paho's own loop retries on a fixed doubling schedule, so after a broker restart every terminal
of a hall would knock at the same instants; this loop waits a random time up to a growing cap
("full jitter") instead, and resubscribes everything on every connect. Handlers get the topic,
the payload (bytes) and the v5 properties; they run on this connection's thread and must not
block for long.
"""

from __future__ import annotations

import logging
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

log = logging.getLogger(__name__)

Handler = Callable[[str, bytes, Any], None]
BACKOFF_MIN_S = 0.2
BACKOFF_MAX_S = 10.0


class BrokerConfigError(ValueError):
    """The broker URL or the credentials file cannot be used (said in one line)."""


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    tls: bool
    username: str = ""
    password: str = ""
    ca_bundle: str = ""

    @classmethod
    def from_settings(cls, url: str, credentials_file: str = "", ca_bundle: str = "") -> Broker:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise BrokerConfigError(
                f"hall.broker_url: must be mqtt://HOST[:PORT] or mqtts://HOST[:PORT], got {url!r}"
            )
        tls = parts.scheme == "mqtts"
        user = password = ""
        if credentials_file:
            user, password = read_credentials(Path(credentials_file))
        return cls(parts.hostname, parts.port or (8883 if tls else 1883), tls, user, password, ca_bundle)


def read_credentials(path: Path) -> tuple[str, str]:
    """``user = "..."`` and ``password = "..."`` (TOML, written by ``kiosk provision``)."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BrokerConfigError(
            f"{path}: cannot read the broker credentials ({type(exc).__name__})"
        ) from None
    user, password = data.get("user"), data.get("password")
    if not isinstance(user, str) or not isinstance(password, str) or not user:
        raise BrokerConfigError(f'{path}: needs user = "..." and password = "..."')
    return user, password


def backoff(attempt: int, rng: random.Random) -> float:
    return rng.uniform(BACKOFF_MIN_S, min(BACKOFF_MAX_S, BACKOFF_MIN_S * 2 ** min(attempt, 16)))


def no_delay(client: Any, userdata: Any, sock: Any) -> None:
    """Small packets go out at once: with Nagle's algorithm a QoS 1 exchange (publish, ack,
    answer, ack) waits on delayed ACKs, ~40 ms a step on Linux; paho leaves it on."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):
        log.debug("TCP_NODELAY not set", exc_info=True)


def close_sockets(client: mqtt.Client) -> None:
    """paho closes its socket and wake-up socket pair only in ``__del__``, which a reference
    cycle can leave to the garbage collector (a ResourceWarning); close them now."""
    reset = getattr(client, "_reset_sockets", None)
    if reset is not None:
        reset()


def props(**values: Any) -> Properties:
    p = Properties(PacketTypes.PUBLISH)
    for k, v in values.items():
        setattr(p, k, v)
    return p


class _TlsContext(ssl.SSLContext):
    """paho leaves the socket of a failed TLS handshake (a broker it cannot verify) to the
    garbage collector: one open descriptor per attempt until then. The last one wrapped is
    kept so the connection loop can close it."""

    last: ssl.SSLSocket | None = None

    @classmethod
    def verifying(cls, cafile: str) -> _TlsContext:
        """As ``ssl.create_default_context``: the certificate and the host name are checked."""
        ctx = cls(ssl.PROTOCOL_TLS_CLIENT)
        if cafile:
            ctx.load_verify_locations(cafile)
        else:
            ctx.load_default_certs()
        return ctx

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self.last = super().wrap_socket(*args, **kwargs)
        return self.last

    def close_last(self) -> None:
        if self.last is not None:
            self.last.close()
            self.last = None


class Connection:
    def __init__(
        self,
        broker: Broker,
        client_id: str,
        *,
        will: tuple[str, bytes] | None = None,
        keepalive: int = 10,
        session_expiry_s: int = 0,
        seed: int | None = None,
    ) -> None:
        self.broker = broker
        self.client_id = client_id
        self.keepalive = keepalive
        self.session_expiry_s = session_expiry_s
        self._rng = random.Random(seed)
        self._handlers: list[tuple[str, int, Handler]] = []
        self._on_up: list[Callable[[], None]] = []
        self._on_down: list[Callable[[], None]] = []
        self._stop = threading.Event()
        self._up = threading.Event()
        self._thread: threading.Thread | None = None
        self._hold_until = 0.0
        self.connects = 0
        c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        if broker.username:
            c.username_pw_set(broker.username, broker.password)
        self._tls: _TlsContext | None = None
        if broker.tls:
            self._tls = _TlsContext.verifying(broker.ca_bundle)
            c.tls_set_context(self._tls)
        if will is not None:
            c.will_set(will[0], will[1], qos=1, retain=True)
        c.on_socket_open = no_delay
        c.on_connect = self._connected
        c.on_disconnect = self._disconnected
        c.on_message = self._message
        self.client = c

    # -- public ---------------------------------------------------------------------------------
    def subscribe(self, topic: str, handler: Handler, qos: int = 1) -> None:
        """Register before ``start``; (re)subscribed on every connect."""
        self._handlers.append((topic, qos, handler))

    def on_up(self, fn: Callable[[], None]) -> None:
        self._on_up.append(fn)

    def on_down(self, fn: Callable[[], None]) -> None:
        self._on_down.append(fn)

    @property
    def connected(self) -> bool:
        return self._up.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._up.wait(timeout)

    def publish(
        self,
        topic: str,
        payload: bytes,
        *,
        qos: int = 1,
        retain: bool = False,
        properties: Properties | None = None,
    ) -> bool:
        """False when not connected: nothing is queued to be sent later as a surprise."""
        if not self._up.is_set():
            return False
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        return info.rc == mqtt.MQTT_ERR_SUCCESS

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"mqtt-{self.client_id}", daemon=True)
        self._thread.start()

    def stop(self, *, clean: bool = True) -> None:
        """``clean``: say goodbye (the broker drops the last will); otherwise vanish like a crash."""
        self._stop.set()
        if clean:
            try:
                self.client.disconnect()
            except Exception:
                log.debug("disconnect failed", exc_info=True)
        else:
            self.drop()
        if self._thread is not None:
            self._thread.join(5)
        self.drop()
        close_sockets(self.client)

    def hold(self, seconds: float) -> None:
        """Cut the connection and stay off for ``seconds`` (tests: a machine cut off the network)."""
        self._hold_until = time.monotonic() + seconds
        self.drop()

    def drop(self) -> None:
        """Cut the network connection now (tests: a cable pulled); the loop reconnects later."""
        sock = self.client.socket()
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    # -- the loop -------------------------------------------------------------------------------
    def _run(self) -> None:
        attempt = 0
        sock_ok = False
        while not self._stop.is_set():
            if not sock_ok and time.monotonic() < self._hold_until:
                self._set_down()
                self._stop.wait(0.1)
                continue
            if not sock_ok:
                try:
                    cprops = Properties(PacketTypes.CONNECT)
                    if self.session_expiry_s:
                        cprops.SessionExpiryInterval = self.session_expiry_s
                    self.client.connect(
                        self.broker.host,
                        self.broker.port,
                        keepalive=self.keepalive,
                        clean_start=self.session_expiry_s == 0,
                        properties=cprops,
                    )
                    sock_ok = True
                except (OSError, ssl.SSLError, ValueError) as exc:
                    if self._tls is not None:
                        self._tls.close_last()
                    if attempt == 0:
                        log.warning("broker %s:%d unreachable: %s", self.broker.host, self.broker.port, exc)
                    self._stop.wait(backoff(attempt, self._rng))
                    attempt += 1
                    continue
            try:
                rc = self.client.loop(timeout=0.1)
            except Exception:
                log.debug("mqtt loop failed", exc_info=True)
                rc = mqtt.MQTT_ERR_CONN_LOST
            if rc != mqtt.MQTT_ERR_SUCCESS:
                sock_ok = False
                self._set_down()
                self._stop.wait(backoff(attempt, self._rng))
                attempt += 1
            elif self._up.is_set():
                attempt = 0

    def _connected(self, client: Any, userdata: Any, flags: Any, reason_code: Any, properties: Any) -> None:
        if reason_code.is_failure:
            log.error("broker refused %s: %s", self.client_id, reason_code)
            return
        for topic, qos, _ in self._handlers:
            client.subscribe(topic, qos=qos)
        self.connects += 1
        self._up.set()
        log.info("connected to the hall broker as %s", self.client_id)
        for fn in list(self._on_up):
            try:
                fn()
            except Exception:
                log.exception("on connect handler failed")

    def _disconnected(
        self, client: Any, userdata: Any, flags: Any, reason_code: Any, properties: Any
    ) -> None:
        self._set_down()

    def _set_down(self) -> None:
        if not self._up.is_set():
            return
        self._up.clear()
        log.warning("lost the hall broker (%s)", self.client_id)
        for fn in list(self._on_down):
            try:
                fn()
            except Exception:
                log.exception("on disconnect handler failed")

    def _message(self, client: Any, userdata: Any, msg: Any) -> None:
        for topic, _, handler in self._handlers:
            if mqtt.topic_matches_sub(topic, msg.topic):
                try:
                    handler(msg.topic, bytes(msg.payload), getattr(msg, "properties", None))
                except Exception:
                    log.exception("handler for %s failed", msg.topic)
