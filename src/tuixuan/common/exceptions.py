"""Every error type of the project, in one module.

``Refused`` is the one error a person sees: a refusal carrying the rule it cites, the field and the
message. Services raise it, and so do the readers of what people hand in (uploads, tables,
backups, forwarding packages, posted forms); the pages show ``for_people`` beside the field, the
API answers 422 with ``rule_id``, ``field`` and ``message``, the commands print it. Nothing that
raises one has changed anything. The other types here say why they are not a ``Refused``.
(The API parser's two private signals live beside their code: they never leave it.)
"""

from django.utils.translation import gettext as _


class Refused(Exception):
    """A request the notice's rules or the nomination's state do not allow."""

    def __init__(self, message, *, rule_id="", field="", errors=None):
        self.message = message
        self.rule_id = rule_id
        self.field = field
        self.errors = errors or {}
        super().__init__(f"{rule_id} {message}".strip())

    @property
    def for_people(self) -> str:
        """The message as pages show it: 【rule ID】…, the rule ID first where there is one."""
        return f"【{self.rule_id}】{self.message}" if self.rule_id else self.message


class RulesNotMet(Refused):
    """Submission refused: at least one criterion fails. ``report`` says which and why."""

    def __init__(self, report):
        self.report = report
        first = report.failures[0]
        super().__init__(
            _("有%(count)s项不符合推荐条件，未能提交。首项：%(first)s")
            % {"count": len(report.failures), "first": first.message},
            rule_id=first.rule_id,
            field=first.field,
        )


class CampaignFileError(Exception):
    """A campaign file that cannot be loaded: every problem, each with its place in the file.

    Not a ``Refused``: it is the deployer's file that is wrong, not a person's request, so it
    carries the file (``source``) and a list of problems rather than one rule and one field.
    """

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}：{problem}" for problem in problems))


class AppendOnlyError(Exception):
    """Code tried to change or remove an audit event.

    Not a ``Refused``: no person can ask for this; it is a programming error, and the audit log's
    queryset and model raise it so that a history once written cannot be rewritten.
    """


class FieldError(ValueError):
    """A value that is not of its field's kind; the message is Chinese and names no value.

    Not a ``Refused``: a field kind raises it for one value, and ``campaigns.kinds.clean_values``
    gathers them into the ``errors`` of the one ``Refused`` the service raises.
    """
