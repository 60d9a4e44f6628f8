from django.core.management.base import CommandError

from tuixuan.campaigns.models import Campaign
from tuixuan.common.management.base import ServiceCommand
from tuixuan.units.importers import import_units


class Command(ServiceCommand):
    help = (
        "从 CSV 或 XLSX 导入推荐单位（列：单位代码、单位名称、单位类型、所在地区、上级单位代码）。"
        "任何一行有误则全部不导入。"
    )
    refused = "导入失败，未导入任何单位：\n"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--campaign", help="同时将这些单位加入该活动（活动标识）")

    def run(self, *, file, campaign=None, **options):
        target = None
        if campaign:
            target = Campaign.objects.filter(key=campaign).first()
            if target is None:
                raise CommandError(f"活动“{campaign}”不存在。")
        result = import_units(file, campaign=target)
        return f"新增{result.created}个单位，更新{result.updated}个单位。"
