"""Camera scanner: OpenCV capture of a recorded clip, frame-rate cap, dedupe, each decoder."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest
import qrcode

from devices.base import DeviceState
from drivers.scanner.decoders import DECODERS, get_decoder
from tests.integration.input_helpers import start_app

PAYLOAD = "HK1.camera-test.sig"


def qr_frame(text: str, size: int = 360) -> np.ndarray:
    img = np.array(qrcode.make(text, box_size=6, border=4).convert("L"))
    img = cv2.resize(img, (size, size), interpolation=cv2.INTER_NEAREST)
    noise = np.random.default_rng(1).normal(0, 8, img.shape)
    return np.clip(img.astype(float) * 0.8 + 30 + noise, 0, 255).astype(np.uint8)


def write_clip(path: Path, frames: int = 20) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (360, 360))
    assert writer.isOpened()
    gray = qr_frame(PAYLOAD)
    for _ in range(frames):
        writer.write(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    writer.release()
    return path


@pytest.mark.parametrize("name", sorted(DECODERS))
def test_each_decoder_reads_a_camera_frame(name: str) -> None:
    found = get_decoder(name)(qr_frame(PAYLOAD))
    assert [d.text for d in found] == [PAYLOAD]


def test_camera_clip_gives_one_deduped_scan(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.avi")
    cfg = (
        f'[devices.camera]\ndriver = "camera-scanner"\nsource = "{clip}"\n'
        "max_fps = 30.0\ndedupe_s = 30.0\nloop = true\n"
    )
    app, rec = start_app(tmp_path, cfg)
    try:
        mgr = app.services.devices
        assert mgr.wait_for("camera", [DeviceState.IDLE], 10), mgr.health()["camera"]
        got = rec.wait(lambda e: e.type == "code_scanned", timeout=10)
        assert got is not None and got[1].data["code"].text == PAYLOAD
        assert got[1].data["code"].source == "camera"
        # the clip keeps playing (loop): many more frames decoded, still one event
        seen = mgr.health()["camera"].detail["frames"]
        deadline = time.monotonic() + 10
        while mgr.health()["camera"].detail["frames"] < seen + 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mgr.health()["camera"].detail["frames"] >= seen + 20
        assert [e.type for _, e in rec.events].count("code_scanned") == 1
    finally:
        app.shutdown()


def test_missing_camera_is_offline(tmp_path: Path) -> None:
    app, _rec = start_app(
        tmp_path, f'[devices.camera]\ndriver = "camera-scanner"\nsource = "{tmp_path}/none.avi"\n'
    )
    try:
        mgr = app.services.devices
        assert mgr.wait_for("camera", [DeviceState.OFFLINE], 10)
        assert mgr.health()["camera"].last_error.code == "not_found"  # type: ignore[union-attr]
    finally:
        app.shutdown()
