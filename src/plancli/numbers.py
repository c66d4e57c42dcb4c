"""Reading numerals: Arabic (1,200 / 3.5) and Chinese (百, 两千, 一万二千,
十点五). Pure functions, no lexicon: numerals are the language itself."""
from __future__ import annotations

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                  "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(CHINESE_SMALL_UNITS) + "".join(CHINESE_BIG_UNITS) + "点"


def parse_arabic(text: str) -> float:
    """'1,200' → 1200.0, '3.5' → 3.5."""
    return float(text.replace(",", ""))


def parse_chinese(text: str) -> float | None:
    """Value of a Chinese numeral, or None when the characters do not form
    one (十四五, 亿万, 一二三 are names or lists, not numbers)."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    integer, _, fraction = text.partition("点")
    if "点" in fraction:
        return None
    value = _chinese_integer(integer) if integer else None
    if value is None:
        return None
    if fraction:
        if any(ch not in CHINESE_DIGITS for ch in fraction):
            return None
        value += float("0." + "".join(str(CHINESE_DIGITS[ch]) for ch in fraction))
    return value


def _chinese_integer(text: str) -> float | None:
    total = 0          # completed 亿/万 groups
    section = 0        # the group being read, below 万
    digit = None       # a digit waiting for its multiplier
    last_small = 10_000  # multipliers inside a group must fall: 千 > 百 > 十
    last_big = None
    after_zero = False  # 三百零五: a digit after 零 stands for itself
    for ch in text:
        if ch in CHINESE_DIGITS:
            if digit is not None and digit != 0 and CHINESE_DIGITS[ch] != 0:
                return None  # two digits in a row: 十四五, 二〇二四 read as a name
            digit = CHINESE_DIGITS[ch]
            after_zero = after_zero or digit == 0
        elif ch in CHINESE_SMALL_UNITS:
            unit = CHINESE_SMALL_UNITS[ch]
            if unit >= last_small:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_small, after_zero = None, unit, False
        else:
            unit = CHINESE_BIG_UNITS[ch]
            group = section + (digit or 0)
            if group == 0:
                # 万 or 亿 with nothing before it: alone it means one (万亩),
                # after 万 it forms 万亿; anything else (亿万) is not a number.
                if total == 0:
                    group = 1
                elif not (last_big == "万" and ch == "亿"):
                    return None
            elif last_big is not None and CHINESE_BIG_UNITS[last_big] <= unit and not (last_big == "万" and ch == "亿"):
                return None
            total = (total + group) * unit
            section, digit, last_small, last_big, after_zero = 0, None, 10_000, ch, False
    if digit is not None:
        # 一万二 means 一万二千: a trailing digit takes the next lower multiplier.
        if after_zero:
            section += digit
        elif 10 < last_small < 10_000 and section:
            section += digit * (last_small // 10)
        elif last_big and not section and total:
            section += digit * (CHINESE_BIG_UNITS[last_big] // 10)
        else:
            section += digit
    return float(total + section)


def split_magnitude(numeral: str) -> tuple[str, str]:
    """'两千亿' → ('两千', '亿'); '十万' → ('十', '万'); '万' → ('万', '')
    (alone it is the number); '一万二千' → ('一万二千', '')."""
    for magnitude in ("万亿", "亿", "万"):
        if numeral.endswith(magnitude) and len(numeral) > len(magnitude):
            head = numeral[: -len(magnitude)]
            if head.strip("万亿") and parse_chinese(head) is not None:
                return head, magnitude
    return numeral, ""
