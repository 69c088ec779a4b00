import datetime

import pytest

from activities.importer.indicators import read_target


@pytest.mark.parametrize(
    ("text", "year", "date"),
    [
        ("One workshop organized by 2027", 2027, datetime.date(2027, 12, 31)),
        ("Ban in place by the end of 2026", 2026, datetime.date(2026, 12, 31)),
        ("One workshop held by end of 2027", 2027, datetime.date(2027, 12, 31)),
        ("Request submitted by 15 September 2026", 2026, datetime.date(2026, 9, 15)),
        ("Dossier submitted at the latest by February 2028", 2028, datetime.date(2028, 2, 29)),
        ("Updated report published in 2028.", 2028, datetime.date(2028, 12, 31)),
        ("Recommendations by 2027 and interventions implemented by 2028", 2028,
         datetime.date(2028, 12, 31)),
        ("Surveys conducted bi-annually starting in 2027", None, None),
        ("CITES-CMS work programme 2026-2031", None, None),
    ],
)  # fmt: skip
def test_deadline_is_the_last_day_the_words_allow(text, year, date):
    target = read_target(text)
    assert (target.year, target.date) == (year, date)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("3 or more workshops held by 2031", 3),
        ("at least two border areas in CUs recognized as OECM", 2),
        ("Training conducted for at least three CUs", 3),
        ("Two meetings held back-to-back", 2),
        ("Camera trapping report published. One workshop held by end of 2027", 1),
        ("Report on linkages between one health and landscape-level measures", None),
        ("Plans in accordance with Resolution 14.17 on Community Participation", None),
        ("Request submitted by 15 September 2026", None),
    ],
)
def test_count_is_read_only_where_the_words_state_one(text, count):
    assert read_target(text).count == count


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("SMART reports published quarterly", "quarterly"),
        ("Newsletter published once a year", "annually"),
        ("At least one meeting annually", "annually"),
        ("Camera trap surveys conducted bi-annually", "biannually"),
        ("Report on the implementation every 3 years", "every_3_years"),
        ("Report published", ""),
    ],
)
def test_recurrence(text, recurrence):
    assert read_target(text).recurrence == recurrence
