from tuixuan.common.management.base import ServiceCommand
from tuixuan.nominations.importers import import_past_winners


class Command(ServiceCommand):
    help = (
        "从 CSV 或 XLSX 导入往届入选典型（列：姓名或名称、入选年度、类别、推荐单位），"
        "用于核对“曾入选的不再参加申报”。任何一行有误则全部不导入。"
    )
    refused = "导入失败，未导入任何记录：\n"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def run(self, *, file, **options):
        result = import_past_winners(file)
        return f"新增{result.created}条，已有{result.updated}条未变。"
