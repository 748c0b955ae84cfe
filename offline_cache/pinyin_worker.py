"""``python -m offline_cache.pinyin_worker``: pinyin for catalog texts, in a process of its own.

pypinyin's dictionaries cost the process that loads them ~56 MiB for good (and 0.1-1 s), and
only catalog sync needs them: the kiosk hands the names and departments of each catalog page
to this process (one JSON list of strings per line on stdin, one JSON list of [full, initials]
per line on stdout) for the length of one sync, and never loads them itself.
"""

from __future__ import annotations

import json
import sys

from offline_cache.catalog import pinyin_of


def main() -> int:
    for line in sys.stdin:
        texts = json.loads(line)
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            sys.stderr.write("expected a JSON list of strings\n")
            return 2
        sys.stdout.write(json.dumps([list(pinyin_of(t)) for t in texts], ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
