"""The one error a person sees: a refusal carrying the rule it cites, the field and the message.

Services raise these; the pages show ``for_people`` beside the field, the API answers 422 with
``rule_id``, ``field`` and ``message``. Nothing that raises one has changed anything.
"""


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
            f"有{len(report.failures)}项不符合推荐条件，未能提交。首项：{first.message}",
            rule_id=first.rule_id,
            field=first.field,
        )
