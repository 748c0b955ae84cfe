"""Where the kiosk keeps its data, cache and logs.

Defaults come from platformdirs (per user; the installer's service points KIOSK_DATA_DIR at
/var/lib/hall-kiosk); config keys and KIOSK_DATA_DIR override them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kiosk.settings.schema import PathsSettings

APP_NAME = "hall-kiosk"


@dataclass(frozen=True)
class Paths:
    data: Path
    cache: Path
    logs: Path

    @classmethod
    def from_settings(cls, s: PathsSettings) -> Paths:
        data = Path(s.data_dir).expanduser() if s.data_dir else Path(platformdirs.user_data_dir(APP_NAME))
        cache = (
            Path(s.cache_dir).expanduser()
            if s.cache_dir
            else (data / "cache" if s.data_dir else Path(platformdirs.user_cache_dir(APP_NAME)))
        )
        logs = (
            Path(s.log_dir).expanduser()
            if s.log_dir
            else (data / "logs" if s.data_dir else Path(platformdirs.user_log_dir(APP_NAME)))
        )
        return cls(data=data, cache=cache, logs=logs)

    def ensure(self) -> None:
        for p in (self.data, self.cache, self.logs):
            p.mkdir(parents=True, exist_ok=True, mode=0o700)
