"""Recommending units, the people who act for them, and who may do what in which campaign."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuixuan.common.models import parent_field


class UnitKind(models.TextChoices):
    SOCIETY = "society", _("学会（协会、研究会）")
    CITY_CAST = "city_cast", _("市科协")
    OTHER = "other", _("有关单位")


class RecommendingUnit(models.Model):
    code = models.SlugField(_("单位代码"), max_length=64, unique=True)
    name = models.CharField(_("单位名称"), max_length=200, unique=True)
    kind = models.CharField(_("单位类型"), max_length=16, choices=UnitKind.choices)
    region = models.CharField(_("所在地区"), max_length=100, blank=True)
    parent = parent_field(_("上级单位"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = verbose_name_plural = _("推荐单位")

    def __str__(self):
        return self.name


class Participation(models.Model):
    """A unit taking part in a campaign. Its row is also the lock that keeps quota races honest."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="participations"
    )
    unit = models.ForeignKey(
        RecommendingUnit, on_delete=models.CASCADE, related_name="participations"
    )
    extension_until = models.DateTimeField(
        _("延期至"),
        null=True,
        blank=True,
        help_text=_("组织方为该单位批准的延期截止时间；为空则按活动截止时间。"),
    )

    class Meta:
        unique_together = [("campaign", "unit")]
        verbose_name = verbose_name_plural = _("参与单位")

    def __str__(self):
        return f"{self.unit} · {self.campaign}"

    @property
    def deadline(self):
        return closing_time(self.campaign.deadline, self.extension_until)


def closing_time(deadline, extension_until):
    """When a unit's submissions close: the campaign's ``deadline``, or the extension it was
    granted when that is later (an extension never shortens the time). The one statement of
    the rule: ``Participation.deadline``, ``deadlines_for`` and ``nominations.deadlines``."""
    if extension_until and extension_until > deadline:
        return extension_until
    return deadline


def deadlines_for(campaign, unit_ids) -> dict:
    """When each of many units' submissions to ``campaign`` close: unit id → the time."""
    extended = dict(
        Participation.objects.filter(campaign=campaign, unit_id__in=set(unit_ids)).values_list(
            "unit_id", "extension_until"
        )
    )
    return {unit_id: closing_time(campaign.deadline, extended.get(unit_id)) for unit_id in unit_ids}


class RoleKind(models.TextChoices):
    ORGANISER = "organiser", _("组织方")
    UNIT_MEMBER = "unit_member", _("推荐单位经办人")
    REVIEWER = "reviewer", _("评审专家")


class Role(models.Model):
    """What a person may do: organise a campaign, act for a unit, or review in a campaign.

    An organiser and a reviewer belong to a campaign; a unit member to a unit. A reviewer may also
    name the unit they work for, so that they are never assigned that unit's nominations.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("角色"), max_length=16, choices=RoleKind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    unit = models.ForeignKey(
        RecommendingUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"],
                condition=models.Q(kind="unit_member"),
                name="unique_unit_member",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "campaign"],
                condition=models.Q(kind__in=["organiser", "reviewer"]),
                name="unique_campaign_role",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=RoleKind.UNIT_MEMBER, unit__isnull=False)
                    | models.Q(kind=RoleKind.ORGANISER, campaign__isnull=False)
                    | models.Q(kind=RoleKind.REVIEWER, campaign__isnull=False)
                ),
                name="role_has_its_scope",
            ),
        ]

    def __str__(self):
        scope = self.unit or self.campaign
        return f"{self.user} · {self.get_kind_display()} · {scope}"


class Profile(models.Model):
    """What a person adds about themselves on their 个人信息 page besides the e-mail address
    (which is the account's own ``email``): a mobile number. Personal data: shown to the person
    and to the organisers of the campaigns their unit takes part in, never to anyone else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = pgettext_lazy(
            "the page where a person keeps their own e-mail address and mobile number", "个人信息"
        )

    def __str__(self):
        return str(self.user)


# The transitions of a nomination its unit is told of (by their action), and what its page says.
HEADLINES = {
    "return": _("“%(name)s”被组织方退回修改"),
    "accept": _("“%(name)s”已通过形式审查"),
    "shortlist": _("“%(name)s”已列入拟推荐名单"),
    "select": _("“%(name)s”入选"),
    "reject": _("“%(name)s”未入选"),
}


def action_of(event) -> str:
    """The transition an audit event of a nomination records (``nomination.return`` → return)."""
    return event.action.removeprefix("nomination.")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened to one of a unit's nominations (returned, accepted, shortlisted,
    a result), for one of the unit's people: unread until they see it on the unit's page.

    Written by ``notify.notify_unit`` from the audit event of the change, the same call that
    mails the people who have an address, so the page and the mail never disagree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    unit = models.ForeignKey(
        RecommendingUnit, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        "common.AuditEvent", on_delete=models.PROTECT, related_name="notifications"
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-event__at", "-pk"]
        verbose_name = verbose_name_plural = _("站内通知")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_notification_per_event")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return f"{self.user} · {self.event}"

    @property
    def headline(self) -> str:
        """The sentence the unit's page shows: “李秀梅”被组织方退回修改."""
        name = self.event.nomination.name if self.event.nomination_id else ""
        return HEADLINES[action_of(self.event)] % {"name": name or "—"}
