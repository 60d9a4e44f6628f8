"""The chain to the level above, ready to try (``seed_demo --chain``, which ``make run`` runs).

One nomination of the demo city CAST (南宁市科协), taken through the real services: filled in,
photos and the stamped scan uploaded, handed in, through formal review, scored by the demo
expert, shortlisted and through a 公示 that ended last week. The demo organiser (zuzhi) can
then 推报至上级活动 from the office, and the parent's demo organiser (quanguo) sees it arrive.
Seeded once: a second run finds it and leaves everything as it is.

The 公示 began three weeks ago and lasts the campaign's working days. When they cannot be counted
(a year the holiday data does not know, and the campaign file names none of its days), the demo
does what the refusal asks of a real organiser: it fills in the end date by hand, two weeks after
the start, and its output says so.
"""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from tuixuan.campaigns import checks
from tuixuan.campaigns.workdays import nth_working_day
from tuixuan.common.exceptions import Refused
from tuixuan.nominations import services as nomination_services
from tuixuan.nominations.models import Status
from tuixuan.units.demo import UNITS, demo_seeded
from tuixuan.units.models import RecommendingUnit, Role, RoleKind

from . import services

CATEGORY = "volunteer"
STORY = "长期深入乡村开展农业技术培训和科普讲座，带动群众科学种养，增收致富。" * 10
# The demo nomination, as the unit fills in gx-2024's 科技志愿者 form (campaigns/gx-2024.toml).
VALUES = {
    "name": "黄建明",
    "gender": "男",
    "birth": "1975-03",
    "political_status": "中共党员",
    "address": "南宁市西乡塘区大学东路188号",
    "phone": "13807710088",
    "organisation": "南宁市农业科技志愿服务队",
    "projects": "农技下乡、科普进村",
    "service_start": "2018-04",
    "activity_count": 150,
    "registration": {"registered": True, "number": "DMZY-2018-0102"},
    "deeds": STORY,
}
PHOTO_BYTES = 1_200_000  # within the notice's 1M–3M
STARTED_AGO = timedelta(days=21)  # the demo 公示 began three weeks before the demo is seeded
TYPED_PERIOD = timedelta(days=13)  # an end date typed by hand: two weeks, start day included


@receiver(demo_seeded)
def seed_chain(sender, campaign, chain=False, today=None, **kwargs):
    """``seed_demo --chain``: the nomination ready for the parent, unless it is there already.
    ``today`` (the local date unless given) places the demo 公示."""
    if not chain or campaign.parent is None:
        return None
    unit = RecommendingUnit.objects.get(code=UNITS[0][0])
    if campaign.nominations.filter(unit=unit, name=VALUES["name"]).exists():
        return None
    starts_on = (today or timezone.localdate()) - STARTED_AGO
    ends_on, typed = announcement_period(campaign, starts_on)
    try:
        nomination = ready_for_the_parent(campaign, unit, starts_on=starts_on, ends_on=ends_on)
    except Refused as refused:
        return f"未能建立推报至上级活动的演示推荐：{refused.for_people}"
    said = (
        f"演示推荐“{nomination.name}”公示期满，组织方可在工作台推报至上级活动"
        f"“{campaign.parent.title}”。"
    )
    if typed is not None:
        said += (
            f"（{typed.for_people}演示公示的截止日期已手动填写为"
            f"{ends_on.year}年{ends_on.month}月{ends_on.day}日。）"
        )
    return said


def announcement_period(campaign, starts_on: date) -> tuple[date, Refused | None]:
    """The demo 公示's last day, counted in the campaign's working days; where they cannot be
    counted, typed by hand as a real organiser is asked to, with the refusal that asked."""
    try:
        days = campaign.announcement_working_days
        return nth_working_day(starts_on, days, campaign.calendar), None
    except Refused as refused:
        return starts_on + TYPED_PERIOD, refused


@transaction.atomic
def ready_for_the_parent(campaign, unit, *, starts_on, ends_on):
    def one(kind, **where):
        return Role.objects.filter(kind=kind, **where).select_related("user").first().user

    member = one(RoleKind.UNIT_MEMBER, unit=unit)
    organiser = one(RoleKind.ORGANISER, campaign=campaign)
    expert = one(RoleKind.REVIEWER, campaign=campaign)
    category = campaign.categories.get(key=CATEGORY)
    now = timezone.now()
    nomination = nomination_services.create_nomination(
        member, campaign=campaign, category=category, unit=unit, values=VALUES, now=now
    )
    for number in range(1, category.photo_min + 1):
        upload = SimpleUploadedFile(f"照片{number}.jpg", _photo(number), "image/jpeg")
        nomination_services.add_photo(member, nomination, upload, now=now)
    stamped = SimpleUploadedFile("盖章扫描件.pdf", _pdf(), "application/pdf")
    nomination_services.attach_stamped_pdf(member, nomination, stamped, now=now)
    nomination_services.submit(member, nomination, now=now)
    manual = [criterion.pk for criterion in checks.manual_criteria(nomination)]
    nomination_services.accept(organiser, nomination, checked=manual)
    assignment = services.assign(organiser, nomination, expert)
    scores = {item.key: item.max_score * 9 // 10 for item in category.rubric.all()}
    services.submit_scores(expert, assignment, scores, comment="事迹突出，材料规范。")
    nomination.refresh_from_db()
    if nomination.status == Status.ACCEPTED:
        nomination_services.mark_reviewed(organiser, nomination)
    nomination_services.shortlist(organiser, nomination)
    services.announce(organiser, campaign, [nomination], starts_on=starts_on, ends_on=ends_on)
    return nomination


def _photo(number) -> bytes:
    """A JPEG that really decodes, padded (with comment segments) to ``PHOTO_BYTES``."""
    image = Image.new("RGB", (640, 480), (40 + 60 * number % 200, 120, 90))
    draw = ImageDraw.Draw(image)
    for x in range(0, 640, 16):
        draw.line([(x, 0), (640 - x, 480)], fill=(230, 200 - x % 120, 80), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    body = buffer.getvalue()
    padding, segments = PHOTO_BYTES - len(body), []
    while padding > 4:
        payload = min(65533, padding - 4)
        segments.append(b"\xff\xfe" + (payload + 2).to_bytes(2, "big") + b"\0" * payload)
        padding -= payload + 4
    header_end = 4 + int.from_bytes(body[4:6], "big")  # after SOI and the JFIF header
    return body[:header_end] + b"".join(segments) + body[header_end:]


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
