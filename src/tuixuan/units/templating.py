"""``{% set people = people_of(unit) %}``: a unit's clerks and how to reach them (the e-mail address
and mobile number they keep on their 个人信息 page). Personal data: only pages the organiser
alone may open use it."""

from dataclasses import dataclass

from tuixuan.units.models import Profile, Role, RoleKind


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    mobile: str


def people_of(unit) -> list[Person]:
    roles = Role.objects.filter(unit=unit, kind=RoleKind.UNIT_MEMBER).select_related("user")
    users = [role.user for role in roles]
    mobiles = dict(
        Profile.objects.filter(user__in=users).exclude(mobile="").values_list("user_id", "mobile")
    )
    return [
        Person(user.get_full_name() or user.username, user.email, mobiles.get(user.pk, ""))
        for user in sorted(users, key=lambda user: user.username)
    ]
