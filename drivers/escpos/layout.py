"""Width-aware text layout for a fixed-pitch printer: CJK and full-width characters take two
columns, everything else one (East Asian Width W/F = 2). Pure; no bytes.

Why not ``len()``: a 32-column 58 mm line holds 16 汉字, and centring 示范县政务服务中心 by
character count pushes it half a line to the right.
"""

from __future__ import annotations

import unicodedata


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` columns; prefers breaking at spaces
    for Latin words, breaks anywhere between CJK characters. Existing newlines are kept."""
    if columns < 2:
        raise ValueError("columns must be at least 2")
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        width = 0
        for ch in para:
            w = char_width(ch)
            if width + w > columns:
                cut = line.rfind(" ")
                if cut > 0 and ch != " " and all(char_width(c) == 1 for c in line[cut:]):
                    out.append(line[:cut].rstrip())
                    line = line[cut + 1 :]
                else:
                    out.append(line.rstrip())
                    line = ""
                line = line.lstrip(" ") if not line.strip() else line
                width = text_width(line)
                if ch == " " and not line:
                    continue
            line += ch
            width += w
        out.append(line.rstrip())
    return out


def pad(text: str, columns: int, align: str = "left") -> str:
    """Pad to exactly ``columns`` columns (text must already fit)."""
    gap = max(0, columns - text_width(text))
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    if align == "right":
        return " " * gap + text
    return text + " " * gap


def justify(left: str, right: str, columns: int) -> list[str]:
    """``left ........ right`` on one line when both fit, else left wrapped and right aligned."""
    need = text_width(left) + 1 + text_width(right)
    if need <= columns:
        return [left + " " * (columns - need + 1) + right]
    lines = wrap(left, columns)
    lines.append(pad(right, columns, "right") if text_width(right) <= columns else right)
    return lines
