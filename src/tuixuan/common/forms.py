"""Posted fields are read through a form, never from ``request.POST`` by hand.

``PostedForm.refused_or_cleaned()`` returns the cleaned data, or raises ``Refused`` naming the
first wrong field by its label (“理由”…) with every field's message in ``errors``, so a view
handles bad input and a service's refusal in one ``except Refused`` and answers 4xx having
changed nothing. Presence and the rules of the notice stay in the services (the API calls them
too); the forms check what the page itself sends: kinds, choices, lengths.
"""

from django import forms

from .exceptions import Refused
from .phrases import named


class PostedForm(forms.Form):
    def refused_or_cleaned(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        errors = {name: self._named(name, messages[0]) for name, messages in self.errors.items()}
        field = next(iter(errors))
        raise Refused(errors[field], field=field, errors=errors)

    def _named(self, name, message) -> str:
        """Django's own messages gain the field's label; ours already name it."""
        label, message = str(getattr(self.fields.get(name), "label", "") or ""), str(message)
        return named(label, message) if label and label not in message else message


def text(label, *, max_length=None, required=False) -> forms.CharField:
    """A text field as the pages post it: stripped; its emptiness judged by the service."""
    return forms.CharField(label=label, max_length=max_length, required=required)
