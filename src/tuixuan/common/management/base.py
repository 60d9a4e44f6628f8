"""The shape of a command that hands one file to a service (imports, backup, restore).

Each of them runs one service that either does all its work or raises ``Refused`` having changed
nothing; the command turns the refusal into a ``CommandError`` saying that nothing was done, and
prints the service's result in one line. Only ``run`` and the words differ from one to the next.
"""

from django.core.management.base import BaseCommand, CommandError

from tuixuan.common.exceptions import Refused


class ServiceCommand(BaseCommand):
    #: The start of the error when the service refuses, e.g. "导入失败，未导入任何记录：\n".
    refused = ""

    def run(self, **options) -> str:
        """Do the work; return the line that says what was done."""
        raise NotImplementedError

    def warn(self, line):
        self.stderr.write(self.style.WARNING(line))

    def handle(self, *args, **options):
        try:
            done = self.run(**options)
        except Refused as refused:
            raise CommandError(f"{self.refused}{refused.for_people}") from None
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(done))
