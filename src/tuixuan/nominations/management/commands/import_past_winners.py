from django.core.management.base import BaseCommand, CommandError

from tuixuan.common.exceptions import Refused
from tuixuan.nominations.importers import import_past_winners


class Command(BaseCommand):
    help = (
        "从 CSV 或 XLSX 导入往届入选典型（列：姓名或名称、入选年度、类别、推荐单位），"
        "用于核对“曾入选的不再参加申报”。任何一行有误则全部不导入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            result = import_past_winners(file)
        except Refused as error:
            raise CommandError(f"导入失败，未导入任何记录：\n{error}") from None
        self.stdout.write(
            self.style.SUCCESS(f"新增{result.created}条，已有{result.updated}条未变。")
        )
