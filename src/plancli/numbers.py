"""Reading numerals: Arabic (1,200 / 3.5), Chinese (百, 两千, 一万二千,
十点五, 四亿五千六百四十二万零一十五) and the two mixed (2千零30万, 3万4000,
25万6千). Pure functions; which characters are digits and multipliers
comes from the lexicon (numerals.yaml), read on first use.

The rules of a Chinese numeral, as read here:
- a digit takes the multiplier after it (五千), or stands for itself at the
  end (二十五) or after 零 (三百零五, 一万零十二);
- multipliers inside a group below 万 fall: 千 > 百 > 十; a multiplier with no
  digit counts one where it opens the numeral, and 十 after 零 or 百 (十五,
  百, 一万零十二, 二百十七), and nowhere else (千百五 is no numeral);
- 万 closes a group of up to 9999, 亿 one of up to 9999万9999; 万亿 and 万万
  multiply (万万 is the old 亿); 亿万 and 十四五 are words, not numbers;
- a trailing digit after a multiplier takes the next lower one: 一万二 is
  12000, 一千二 is 1200 (but 一万零二 is 10002); before 万 or 亿 it is not
  read at all (一千二万 could be 1200万 or 1002万);
- 零 only stands after a multiplier (二〇二四 is a year's name, 零 alone is 0);
- in a mixed numeral an Arabic group of several digits stands where a whole
  group does (25万, 1亿2000万), after 零 (2千零30万) or, with exactly the
  digits of the place, after 万 or 亿 (3万4000); a single Arabic digit behaves
  as a Chinese one (25万6千).
"""
from __future__ import annotations

from functools import lru_cache

from . import lexicon

# The numeral characters, from data/lexicon/numerals.yaml, filled on first
# use (module constants keep the 30,000 calls of a corpus run fast; reading
# the lexicon at import would also fail before the command line can report it).
CHINESE_DIGITS: dict[str, int] = {}       # 零 0, 一 1, 两 2, …
CHINESE_ZEROS = ""                        # 零〇
CHINESE_SMALL_UNITS: dict[str, int] = {}  # 十 10, 百 100, 千 1000
CHINESE_BIG_UNITS: dict[str, int] = {}    # 万 10000, 亿 100000000
CHINESE_DECIMAL_POINT = ""                # 点
CHINESE_NUMERAL_CHARS = ""
# magnitude words a numeral can end in, longest first: 两千亿 → 两千 | 亿
CHINESE_MAGNITUDES: dict[str, int] = {}


def _read_numerals() -> None:
    global CHINESE_ZEROS, CHINESE_DECIMAL_POINT, CHINESE_NUMERAL_CHARS
    n = lexicon.load().numerals
    CHINESE_ZEROS, CHINESE_DECIMAL_POINT, CHINESE_NUMERAL_CHARS = n.zeros, n.decimal_point, n.chars
    CHINESE_SMALL_UNITS.update(n.small_units)
    CHINESE_BIG_UNITS.update(n.big_units)
    CHINESE_MAGNITUDES.update(n.magnitudes)
    CHINESE_DIGITS.update(n.digits)  # last: filled means all are



def parse_arabic(text: str) -> float:
    """'1,200' → 1200.0, '3.5' → 3.5."""
    return float(text.replace(",", ""))


@lru_cache(maxsize=4096)  # a report repeats its numerals: 29,000 calls, 2,500 distinct over 52 reports
def parse_chinese(text: str) -> float | None:
    """Value of a Chinese numeral, or of a mixed one (2千零30万), or None
    when the characters do not form one (十四五, 亿万, 一二三 are names or
    lists, not numbers)."""
    if not CHINESE_DIGITS:
        _read_numerals()
    if not text or any(ch not in CHINESE_NUMERAL_CHARS and not ch.isdecimal() for ch in text):
        return None
    integer, _, fraction = text.partition(CHINESE_DECIMAL_POINT)
    if not integer or CHINESE_DECIMAL_POINT in fraction:
        return None
    if not fraction:
        return _integer(integer)
    # 十点五, 一点五万 (a magnitude after the fraction scales the whole)
    scale = 1
    for magnitude, factor in CHINESE_MAGNITUDES.items():
        if fraction.endswith(magnitude) and len(fraction) > len(magnitude):
            fraction, scale = fraction[: -len(magnitude)], factor
            break
    if any(ch not in CHINESE_DIGITS for ch in fraction) or any(ch in CHINESE_BIG_UNITS for ch in integer):
        return None
    whole = _integer(integer)
    if whole is None:
        return None
    digits = "".join(str(CHINESE_DIGITS[ch]) for ch in fraction)
    return float(f"{(whole + float('0.' + digits)) * scale:.15g}")


def _tokens(text: str) -> list[tuple[str, int, int]] | None:
    """(kind, value, digits): d a digit or an Arabic group, z 零, s 十百千, b 万亿."""
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isdecimal():  # as re's \d: ASCII, full-width ６ and the rest
            j = i
            while j < len(text) and text[j].isdecimal():
                j += 1
            out.append(("d", int(text[i:j]), j - i))
            i = j
            continue
        if ch in CHINESE_ZEROS:
            out.append(("z", 0, 1))
        elif ch in CHINESE_DIGITS:
            out.append(("d", CHINESE_DIGITS[ch], 1))
        elif ch in CHINESE_SMALL_UNITS:
            out.append(("s", CHINESE_SMALL_UNITS[ch], 0))
        elif ch in CHINESE_BIG_UNITS:
            out.append(("b", CHINESE_BIG_UNITS[ch], 0))
        else:
            return None
        i += 1
    return out


def _integer(text: str) -> float | None:
    tokens = _tokens(text)
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0][0] == "z":
        return 0.0  # 零 (零点五)
    high = 0            # closed by 亿 (or by 万万)
    mid = 0             # closed by 万 since the last 亿
    section = 0         # the group being read, below 万
    digit = None        # a digit or Arabic group waiting for its multiplier
    width = 0           # how many Arabic digits it was written with (0: one Chinese digit)
    last_small = 10_000  # multipliers inside a group must fall: 千 > 百 > 十
    last_big = 0        # the place of the last 万 or 亿 (万万 counts as 亿)
    after_zero = False  # 三百零五: what follows 零 stands for itself
    prev = ""
    wanwan = False      # 四万万 (old for 四亿) ends its numeral
    for kind, value, digits in tokens:
        if wanwan:
            return None
        if kind == "z":
            if prev not in ("s", "b"):
                return None  # 二〇二四, 五零: a 零 must follow a multiplier
            after_zero = True
        elif kind == "d":
            if digit is not None:
                return None  # two digits in a row: 十四五, 一二三 read as names
            digit, width = value, (digits if digits > 1 else 0)
        elif kind == "s":
            if value >= last_small or (digit is not None and (width or digit == 0)):
                return None  # 百千, 25千, 0百
            if digit is None and not (prev == "" or (value == 10 and (prev == "z" or last_small == 100))):
                return None  # 千百五, 万千: alone a multiplier opens a numeral (十五), or is 十 after 零 or 百 (二百十七)
            section += (1 if digit is None else digit) * value
            digit, width, last_small, after_zero = None, 0, value, False
        else:
            if digit is not None and not width and not after_zero and 10 < last_small < 10_000 and section:
                return None  # 一千二万: 一千二百万 or 一千零二万? Written so, it is neither
            group = section + (digit or 0)
            if width and not _arabic_fits(digit, section, after_zero, last_small, value):
                return None  # 2千25万
            if value == 10_000:
                if group == 0:
                    if not prev:
                        group = 1  # 万 alone is one of it: 万亩, 万亿
                    elif prev == "b" and last_big == 10_000 and not high:
                        high, mid, wanwan = mid * 10_000, 0, True  # 四万万 = 四亿
                        continue
                    else:
                        return None  # 亿万, 零万
                elif mid:
                    return None  # 三万二万
                mid = group * 10_000
            else:
                if group == 0 and mid == 0:
                    if prev:
                        return None  # 亿亿, 零亿
                    group = 1
                if high:
                    return None  # a second 亿
                high, mid = (mid + group) * 100_000_000, 0
            section, digit, width, last_small, last_big, after_zero = 0, None, 0, 10_000, value, False
        prev = kind
    if prev == "z":
        return None  # 三十亿零
    if digit is not None:
        if width:
            if not (after_zero and _arabic_fits(digit, section, True, last_small, last_big)) \
                    and not (prev == "d" and not section and last_big and width == len(str(last_big)) - 1):
                return None  # 3万40: only 3万0040 or 3万零40 say where the 40 stands
            section += digit
        elif after_zero:
            section += digit
        elif 10 < last_small < 10_000 and section:
            section += digit * (last_small // 10)  # 一千二 is 1200
        elif last_big and not section and (high or mid):
            section += digit * (last_big // 10)    # 一万二 is 12000
        else:
            section += digit
    return float(high + mid + section)


def _arabic_fits(group: int, section: int, after_zero: bool, last_small: int, place: int) -> bool:
    """An Arabic group inside a mixed numeral: alone in its section (25万),
    or after 零 and below the gap it fills (2千零30万)."""
    if not section:
        return group < place if not after_zero else group < place // 10
    return after_zero and group < last_small // 10


def split_magnitude(numeral: str) -> tuple[str, str]:
    """'两千亿' → ('两千', '亿'); '十万' → ('十', '万'); '一千二百万' →
    ('一千二百', '万'); '一万六千亿' → ('一万六千', '亿'); '万' → ('万', '')
    (alone it is the number). The magnitude word is split off only when it
    scales the whole head, as 万 does in 1200万: '一亿二千万' → ('一亿二千万', '')
    (its 万 scales 二千 only), '四万万' → ('四万万', '')."""
    if not CHINESE_DIGITS:
        _read_numerals()
    for magnitude, factor in CHINESE_MAGNITUDES.items():
        if numeral.endswith(magnitude) and len(numeral) > len(magnitude):
            head = numeral[: -len(magnitude)]
            if head.strip("".join(CHINESE_BIG_UNITS)) and all(CHINESE_BIG_UNITS.get(ch, 0) < factor and not (magnitude not in CHINESE_BIG_UNITS and ch in CHINESE_BIG_UNITS)
                   for ch in head) and parse_chinese(head) is not None:
                return head, magnitude
    return numeral, ""
