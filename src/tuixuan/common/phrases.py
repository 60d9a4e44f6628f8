"""Phrases the site says in many places, each translated once (as pretalx's
``common/text/phrases.py``): one msgid, one English wording, the same word on every page.

Templates read them as ``{{ phrases.back_home }}`` (the ``context`` processor below puts
``phrases`` into every page rendered with a request); Python imports ``phrases``. Each phrase is
lazy, so it is translated into the language of the request that shows it, not at import time.
Pages get them already translated into the request's language, once per language and process:
translating each lazy phrase again wherever a page showed it (in every row's date, say) was a
measurable part of a page (issue 18).
"""

from functools import cache
from types import SimpleNamespace

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Phrases:
    brand = _("推选")
    site_name = _("科技志愿服务先进典型推选")
    exemplars = _("先进典型")
    back_home = _("返回首页")
    # What buttons say: the words are verbs in sentences too, which English may word otherwise.
    log_in = pgettext_lazy("button", "登录")
    log_out = pgettext_lazy("button", "退出")
    submit = pgettext_lazy("button", "提交")
    delete = pgettext_lazy("button", "删除")
    download = pgettext_lazy("button", "下载")
    apply_filters = pgettext_lazy("button", "筛选")
    previous_page = _("上一页")
    next_page = _("下一页")
    share_by_wechat = _("微信扫一扫，分享本页")
    profile = pgettext_lazy(
        "the page where a person keeps their own e-mail address and mobile number", "个人信息"
    )
    higher_level = pgettext_lazy(
        "who selects after the organiser, when the campaign names none", "上级"
    )
    # Formats for Django's date filter: ``{{ value|date:phrases.date_time }}``.
    date = pgettext_lazy("date and time format (Django's date filter)", "Y年n月j日")
    date_time = pgettext_lazy("date and time format (Django's date filter)", "Y年n月j日 H:i")
    date_time_seconds = pgettext_lazy(
        "date and time format (Django's date filter)", "Y年n月j日 H:i:s"
    )
    day = pgettext_lazy("date and time format (Django's date filter)", "n月j日")
    day_time = pgettext_lazy("date and time format (Django's date filter)", "n月j日 H:i")
    padded_date = pgettext_lazy("date and time format (Django's date filter)", "Y年m月d日")
    padded_date_time = pgettext_lazy(
        "date and time format (Django's date filter)", "Y年m月d日 H:i:s"
    )


phrases = Phrases()


def named(label, message) -> str:
    """A message as it stands beside its field, “label”：message, worded once for every form."""
    return gettext("“%(label)s”：%(message)s") % {"label": label, "message": message}


@cache
def _translated(language) -> SimpleNamespace:
    """Every phrase as translated into ``language`` (the current one, which it is keyed by)."""
    return SimpleNamespace(
        **{name: str(value) for name, value in vars(Phrases).items() if isinstance(value, Promise)}
    )


def context(request):
    """Template context processor: ``phrases`` on every page, in the page's language."""
    return {"phrases": _translated(get_language())}
