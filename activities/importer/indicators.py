"""Reading targets out of an indicator's words: a deadline, a count, a recurrence."""

import calendar
import datetime
import re
from dataclasses import dataclass

from activities.choices import Recurrence

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip

# "by 2027", "by the end of 2026", "by 15 September 2026", "at the latest by February 2028",
# "published in 2028"; not "starting in 2027", which is a start, not a target.
DEADLINE = re.compile(
    r"(?<!starting )\b(?:by|in)\s+(?:(?:the\s+)?end\s+of\s+)?"
    r"(?:(?P<day>\d{1,2})\s+)?(?:(?P<month>" + "|".join(MONTHS) + r")\s+)?(?P<year>20\d\d)\b",
    re.I,
)
_NUMBER = r"(?P<number>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"
# A count opens the indicator or a clause ("One workshop held", "; 2 workshops"), or is bounded
# ("at least three CUs", "3 or more workshops"); "one health" or "Resolution 14.17" are not counts.
COUNT = re.compile(
    r"(?:(?:^|[.;,]\s+)|\bat\s+least\s+)" + _NUMBER + r"\b(?:\s+or\s+more)?\s+(?=[a-z])"
    r"|(?<![\d.])\b" + _NUMBER.replace("number", "bounded") + r"\s+or\s+more\b",
    re.I,
)
RECURRENCES = [
    (re.compile(r"\bquarterly\b", re.I), Recurrence.QUARTERLY),
    (re.compile(r"\bbi-?annual(?:ly)?\b", re.I), Recurrence.BIANNUALLY),
    (re.compile(r"\b(?:annual(?:ly)?|once a year|every year)\b", re.I), Recurrence.ANNUALLY),
    (re.compile(r"\bevery (?:2|two) years\b", re.I), Recurrence.EVERY_2_YEARS),
    (re.compile(r"\bevery (?:3|three) years\b", re.I), Recurrence.EVERY_3_YEARS),
]


@dataclass(frozen=True)
class Target:
    year: int | None = None
    date: datetime.date | None = None
    count: int | None = None
    recurrence: str = ""


def _last_day(year: int, month: int | None, day: int | None) -> datetime.date:
    if month is None:
        return datetime.date(year, 12, 31)
    if day is None:
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def read_target(text: str) -> Target:
    """The latest deadline, the first count and the recurrence the indicator states, if any."""
    deadlines = [
        _last_day(
            int(m["year"]),
            MONTHS[m["month"].lower()] if m["month"] else None,
            int(m["day"]) if m["day"] else None,
        )
        for m in DEADLINE.finditer(text)
    ]
    date = max(deadlines) if deadlines else None
    count_match = COUNT.search(text)
    count = None
    if count_match:
        number = (count_match["number"] or count_match["bounded"]).lower()
        count = int(number) if number.isdigit() else NUMBER_WORDS[number]
    recurrence = next((value for pattern, value in RECURRENCES if pattern.search(text)), "")
    return Target(year=date.year if date else None, date=date, count=count, recurrence=recurrence)
