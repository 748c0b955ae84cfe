"""What is said: the per-language call template, with ticket numbers spelled the way halls
read them (letters, then each digit: A023 -> A零二三) and window numbers as cardinals
(12 -> 十二). Pure."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
TEMPLATES = {
    "zh": "请{number}号到{counter}号窗口办理",
    "en": "Number {number}, please go to counter {counter}.",
}


def cardinal_zh(n: int) -> str:
    """0-9999 as read aloud: 10 十, 12 十二, 20 二十, 105 一百零五, 1010 一千零一十."""
    if not 0 <= n <= 9999:
        return "".join(DIGITS[int(d)] for d in str(abs(n)))
    if n < 10:
        return DIGITS[n]
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out = ""
    rest = n
    zero = False
    for value, name in units:
        d, rest = divmod(rest, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if (value == 10 and d == 1 and not out) else DIGITS[d]) + name
        elif out:
            zero = True
    if rest:
        out += ("零" if zero else "") + DIGITS[rest]
    return out


def spell_number_zh(number: str) -> str:
    return "".join(DIGITS[int(c)] if c.isdigit() else c.upper() for c in number)


def spell_number_en(number: str) -> str:
    return " ".join(number.upper())


def call_text(number: str, counter: int, language: str, template: str | None = None) -> str:
    tpl = template or TEMPLATES.get(language, TEMPLATES["zh"])
    if language == "zh":
        return tpl.format(number=spell_number_zh(number), counter=cardinal_zh(counter))
    return tpl.format(number=spell_number_en(number), counter=counter)
