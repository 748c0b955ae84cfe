"""The document camera: pages photographed skewed and in perspective, read from a recorded
camera stream through OpenCV, found, straightened and compared with the flat originals."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.doccam import DocumentCamera
from drivers.doccam import page
from kiosk.devtools import doccam_demo
from kiosk.devtools import doccam_emu as emu

SENSOR = (3264, 2448)  # an 8 MP document camera


def ncc(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised cross-correlation of two pictures (grey, same size): 1 = identical."""
    ga = cv2.cvtColor(a, cv2.COLOR_BGR2GRAY).astype(np.float64)
    gb = cv2.cvtColor(
        cv2.resize(b, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY
    )
    gb = gb.astype(np.float64)
    ga, gb = ga - ga.mean(), gb - gb.mean()
    return float((ga * gb).sum() / np.sqrt((ga * ga).sum() * (gb * gb).sum()))


def test_straightening_on_a_set_of_photographed_pages(capsys: pytest.CaptureFixture[str]) -> None:
    """Twelve pages, skew ±15°, perspective up to 12%: corners within 2 px, content back flat."""
    errors, scores, floor = [], [], []
    for seed in range(12):
        flat = emu.original(seed)
        shot = emu.photograph(flat, seed)
        got = page.straighten(shot.image, dpi=emu.PAGE_DPI)
        assert got.found, seed
        assert got.corners is not None
        errors.append(float(np.abs(got.corners - shot.corners).max()))
        scores.append(ncc(flat, got.image))
        floor.append(ncc(flat, shot.image))  # no straightening: the photo as it is
    with capsys.disabled():
        print(
            f"\n  straightening, 12 pages: corner error max {max(errors):.2f} px "
            f"(median {np.median(errors):.2f}); "
            f"NCC with the flat original {np.mean(scores):.3f} (min {min(scores):.3f}); "
            f"unstraightened photo {np.mean(floor):.3f}"
        )
    assert max(errors) < 2.0
    assert min(scores) > 0.85 and np.mean(floor) < 0.5


def test_a_recorded_stream_gives_legible_pages_at_print_size(tmp_path: Path) -> None:
    originals = [emu.original(1, "CONTRACT PAGE 1"), emu.original(2, "TAX RECEIPT")]
    shots = [emu.photograph(o, 10 + i, SENSOR) for i, o in enumerate(originals)]
    stream = emu.record_stream(tmp_path / "doccam.avi", shots, frames_each=4)
    cam = DocumentCamera(str(stream), dpi=200, frames=4)
    try:
        photos = [cam.photograph(), cam.photograph()]
    finally:
        cam.close()
    for original, photo in zip(originals, photos, strict=True):
        assert photo.found and photo.legible, photo
        assert photo.dpi >= 150 and (photo.width, photo.height) == (1654, 2339)  # A4 at 200 dpi
        img = cv2.imdecode(np.frombuffer(photo.jpeg, np.uint8), cv2.IMREAD_COLOR)
        assert ncc(original, img) > 0.85


def test_no_page_and_a_blurred_page_are_not_legible(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    desk = cv2.GaussianBlur(rng.normal(95, 12, (1536, 2048, 3)).astype(np.float32), (0, 0), 6)
    assert not page.straighten(np.clip(desk, 0, 255).astype(np.uint8)).found
    shot = emu.photograph(emu.original(4), 4, SENSOR)
    blurred = cv2.GaussianBlur(shot.image, (0, 0), 9)
    got = page.straighten(blurred, dpi=200)
    assert not page.legible(got)
    stream = emu.record_stream(tmp_path / "blur.avi", [emu.Photo(blurred, shot.corners, 0, 0)], frames_each=2)
    cam = DocumentCamera(str(stream), frames=2)
    try:
        assert not cam.photograph().legible
    finally:
        cam.close()


def test_the_demo_camera_stream_is_made_beside_the_start_not_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``kiosk demo`` does not wait for its document camera's recorded stream: the part
    answers at once, the stream appears whole a little later, and the camera reads pages
    from it; asked before, the camera says it sent no picture."""
    from contextlib import ExitStack

    from devices.base import DeviceError

    monkeypatch.setattr(doccam_demo, "MAKE_AFTER_S", 0.3)
    with ExitStack() as stack:
        settings = doccam_demo.camera_part(stack, tmp_path)
        source = str(settings["selfservice"]["camera"])  # type: ignore[index]
        assert not Path(source).exists()
        early = DocumentCamera(source)
        with pytest.raises(DeviceError):
            early.photograph()
        early.close()
        deadline = time.monotonic() + 60
        while not Path(source).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert Path(source).exists() and not list(tmp_path.glob("*.part.avi"))  # whole, renamed
    camera = DocumentCamera(source, dpi=150)
    try:
        shot = camera.photograph()
    finally:
        camera.close()
    assert shot.found and shot.legible
    with ExitStack() as stack:  # made once: the next start finds it
        assert doccam_demo.camera_part(stack, tmp_path) == settings
        assert not [t for t in threading.enumerate() if t.name == "doccam-demo-stream"]


def test_a_demo_that_ends_at_once_makes_no_stream_and_leaves_nothing_running(tmp_path: Path) -> None:
    from contextlib import ExitStack

    with ExitStack() as stack:
        doccam_demo.camera_part(stack, tmp_path)
    assert not list(tmp_path.iterdir())
    assert not [t for t in threading.enumerate() if t.name == "doccam-demo-stream"]
