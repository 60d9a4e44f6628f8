"""The unit's forms: the nomination form, built from the category's fields, and the small ones.

``NominationForm`` has one field per FieldSpec, made by the field's kind (``campaigns.kinds``):
the kind's widget draws it and reads it back from the post, and its cleaning is the kind's, the
same the services and the API use. The view hands the posted raw values (``posted``: what
the form's ``submitted()`` reads, read without making the form) to the service, which cleans
them and keeps a field that does not clean as typed (``Nomination.typed_invalid``): the form
is drawn from the values and those, each wrong field with its error, so nothing typed is lost.
On a refusal of the whole save (the deadline) the bound form is drawn again from the post.

Names in the post: ``key`` for simple fields; ``key__part`` for address parts;
``key__registered`` and ``key__number`` for a registration; ``key__other`` for free-text
choices; ``key__3__name`` for column ``name`` of row 3 of a list (and
``key__3__registration__number`` inside it).
"""

from itertools import groupby

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy

from tuixuan.campaigns import kinds
from tuixuan.campaigns.configuration import configuration_of
from tuixuan.common.forms import PostedForm, text


class NominationForm(forms.Form):
    """One field per FieldSpec of the category, in the campaign file's order and groups."""

    def __init__(self, specs, *args, made=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        for spec in self.specs:
            self.fields[spec.key] = made[spec.key] if made else kinds.of(spec).form_field()

    @classmethod
    def of(cls, category, **kwargs):
        """The form of ``category`` (from ``configuration_of``), its fields made once per
        revision of the campaign's configuration in this process and shared by every form made
        of it, not made again for every page (a field and its widget for each of the category's
        fields was a tenth of the nomination page's own work, issue 18). A field and its widget
        hold the campaign file's definition of the field and nothing else: drawing the form and
        reading a post change nothing in them, whatever the language, person or nomination."""
        made = configuration_of(category.campaign).derived(
            ("form fields", category.pk),
            lambda: {spec.key: kinds.of(spec).form_field() for spec in category.fields.all()},
        )
        return cls(category.fields.all(), made=made, **kwargs)

    def submitted(self) -> dict:
        """The raw values as posted, field by field (for the service to clean)."""
        return posted(self.specs, self.data)

    def groups(self, problems=()) -> list[dict]:
        """The fields as the page draws them, grouped under the campaign file's group titles,
        each with its ``problems`` (``reports.Problem``): a field with one is marked invalid and
        described by its error text, for a screen reader as for the eye."""
        drawn = [
            self._drawn(spec, [p for p in problems if p.field == spec.key]) for spec in self.specs
        ]
        return [
            {"title": title, "fields": list(members)}
            for title, members in groupby(drawn, key=lambda field: field["group"])
        ]

    def _drawn(self, spec, problems) -> dict:
        bound = self[spec.key]
        label_for = bound.field.kind.label_for()
        invalid = {"aria-invalid": "true", "aria-describedby": f"error-{spec.key}"}
        return {
            "key": spec.key,
            "kind": spec.kind,
            "label": spec.label,
            "required": spec.required,
            "help": spec.help_text,
            "group": spec.group,
            "problems": problems,
            "label_for": label_for,
            # One control takes the marks itself; a group of controls has them on its group.
            "widget": bound.as_widget(attrs=invalid) if problems and label_for else bound,
        }


def posted(specs, data) -> dict:
    """What ``NominationForm(specs, data=data).submitted()`` reads, without making the form:
    each field's widget reads its value back by its kind (``Kind.raw_from``), and so does this.
    A save draws no form unless it is refused, and making one (a field and a widget for each
    of the category's fields) was a tenth of a save's time (issue 18)."""
    return {spec.key: kinds.of(spec).raw_from(data, spec.key) for spec in specs}


def blank_fields_html(category) -> str:
    """The blank form's fields of ``category`` (from ``configuration_of``), as
    ``nominations/_fields.html`` draws them (the new-nomination page): widgets and their
    templates are most of that page, and they never differ. The same for every unit and person
    (no value in it), so drawn once per language and revision of the campaign's configuration
    in this process (a field changed in the admin or by loading the campaign file again moves
    the revision on, and the form is drawn afresh)."""
    return configuration_of(category.campaign).derived(
        ("blank form", get_language(), category.pk),
        lambda: mark_safe(
            render_to_string(
                "nominations/_fields.html",
                {"groups": NominationForm(category.fields.all()).groups()},
            )
        ),
    )


class EditActionForm(PostedForm):
    """Which button of the nomination form was pressed; a post without one saves."""

    action = forms.ChoiceField(
        label=gettext_lazy("操作"),
        choices=[
            ("save", gettext_lazy("保存草稿")),
            ("check", gettext_lazy("检查")),
            ("submit", gettext_lazy("提交")),
        ],
        required=False,
    )

    def chosen(self) -> str:
        return self.refused_or_cleaned()["action"] or "save"


class WithdrawForm(PostedForm):
    reason = text(gettext_lazy("撤回理由"))


class MovePhotoForm(PostedForm):
    direction = forms.ChoiceField(
        label=gettext_lazy("移动方向"),
        choices=[("up", gettext_lazy("前移")), ("down", gettext_lazy("后移"))],
    )

    def offset(self) -> int:
        return -1 if self.refused_or_cleaned()["direction"] == "up" else 1


class CopyForm(PostedForm):
    """Where a nomination is copied to: one of ``copy_targets`` as “campaign key/category key”."""

    target = forms.ChoiceField(
        label=gettext_lazy("复制到"),
        error_messages={
            "required": gettext_lazy("请选择活动和类别。"),
            "invalid_choice": gettext_lazy("所选活动已截止或本单位未参加，请重新选择。"),
        },
    )

    def __init__(self, targets, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {f"{c.key}/{k.key}": (c, k) for c, k in targets}
        self.fields["target"].choices = [
            (value, f"{c.title} · {k.name}") for value, (c, k) in self.targets.items()
        ]

    def chosen(self):
        return self.targets[self.refused_or_cleaned()["target"]]
