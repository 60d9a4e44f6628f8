"""China's working days: every "N working days" of the system (the 公示 period) counts here.

A working day is Monday to Friday except the public holidays the State Council announces, plus the
weekend days it makes working days (调休). The announcements come from PyPI's ``chinese-calendar``,
which knows the years up to its release; a date beyond them is refused rather than guessed, since
a guess would end a 公示 on the wrong day. Changes announced after that release (or locally) go in
the campaign file's ``[campaign.calendar]`` table (``holidays``, ``working_days``), which decides
the days it names before the library is asked.
"""

from datetime import date, timedelta

import chinese_calendar
from chinese_calendar.constants import holidays as KNOWN_HOLIDAYS
from django.utils.translation import gettext as _

from tuixuan.common.exceptions import Refused

FIRST_YEAR = min(KNOWN_HOLIDAYS).year
LAST_YEAR = max(KNOWN_HOLIDAYS).year


def is_working_day(day: date, changes: dict | None = None) -> bool:
    """Whether people in China work on ``day``; ``changes`` is a campaign's ``calendar``."""
    changes = changes or {}
    iso = day.isoformat()
    if iso in changes.get("working_days", ()):
        return True
    if iso in changes.get("holidays", ()):
        return False
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Refused(
            _(
                "%(day)s所在的%(year)s年不在节假日数据已知的年份（%(first)s—%(last)s年）内，"
                "无法计算工作日；请手动填写截止日期，或在活动文件[campaign.calendar]中写明"
                "该年的放假和调休安排。"
            )
            % {"day": iso, "year": day.year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return chinese_calendar.is_workday(day)


def nth_working_day(start: date, days: int, changes: dict | None = None) -> date:
    """The last day of a period of ``days`` working days beginning on ``start`` (counted if it
    is a working day itself): a 5-working-day 公示 from Friday 2025-09-26 ends on 2025-10-09,
    across 国庆·中秋 2025 and the working Sunday 2025-09-28."""
    day, counted = start, 0
    while True:  # ends: past the library's last year every day not named in changes is refused
        if is_working_day(day, changes):
            counted += 1
            if counted >= days:
                return day
        day += timedelta(days=1)
