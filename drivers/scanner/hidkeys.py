"""USB HID keyboard-wedge scanners: key events -> text (pure; US layout, as scanners default).

A wedge scanner "types" each code followed by Enter. Decoding the key events ourselves, from a
device we grab exclusively, keeps codes out of whatever text field has focus.
"""

from __future__ import annotations

# evdev key codes (linux/input-event-codes.h) -> (plain, shifted)
KEYMAP: dict[int, tuple[str, str]] = {
    2: ("1", "!"), 3: ("2", "@"), 4: ("3", "#"), 5: ("4", "$"), 6: ("5", "%"), 7: ("6", "^"),
    8: ("7", "&"), 9: ("8", "*"), 10: ("9", "("), 11: ("0", ")"), 12: ("-", "_"), 13: ("=", "+"),
    16: ("q", "Q"), 17: ("w", "W"), 18: ("e", "E"), 19: ("r", "R"), 20: ("t", "T"), 21: ("y", "Y"),
    22: ("u", "U"), 23: ("i", "I"), 24: ("o", "O"), 25: ("p", "P"), 26: ("[", "{"), 27: ("]", "}"),
    30: ("a", "A"), 31: ("s", "S"), 32: ("d", "D"), 33: ("f", "F"), 34: ("g", "G"), 35: ("h", "H"),
    36: ("j", "J"), 37: ("k", "K"), 38: ("l", "L"), 39: (";", ":"), 40: ("'", '"'), 41: ("`", "~"),
    43: ("\\", "|"), 44: ("z", "Z"), 45: ("x", "X"), 46: ("c", "C"), 47: ("v", "V"), 48: ("b", "B"),
    49: ("n", "N"), 50: ("m", "M"), 51: (",", "<"), 52: (".", ">"), 53: ("/", "?"), 57: (" ", " "),
    15: ("\t", "\t"),
}  # fmt: skip
KEY_ENTER, KEY_KPENTER = 28, 96
SHIFT_KEYS = frozenset({42, 54})  # left, right shift
KEY_DOWN, KEY_UP = 1, 0


class KeyDecoder:
    """Feed (code, value) key events; returns the finished line at Enter, else None."""

    def __init__(self, max_len: int = 4096) -> None:
        self._chars: list[str] = []
        self._shift = False
        self.max_len = max_len

    def feed(self, code: int, value: int) -> str | None:
        if code in SHIFT_KEYS:
            self._shift = value != KEY_UP
            return None
        if value != KEY_DOWN:
            return None
        if code in (KEY_ENTER, KEY_KPENTER):
            line, self._chars = "".join(self._chars), []
            return line or None
        pair = KEYMAP.get(code)
        if pair is not None and len(self._chars) < self.max_len:
            self._chars.append(pair[1] if self._shift else pair[0])
        return None
