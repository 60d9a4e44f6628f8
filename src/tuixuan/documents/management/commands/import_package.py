from django.core.management.base import CommandError

from tuixuan.campaigns.models import Campaign
from tuixuan.common.management.base import ServiceCommand
from tuixuan.documents.importing import import_package
from tuixuan.units.models import RecommendingUnit


class Command(ServiceCommand):
    help = (
        "在上级活动中导入下级的推报包（zip），作为指定单位已提交的推荐。"
        "推报包被改动、不完整、含不安全路径或内容不符时整体拒绝，不写入任何内容。"
    )
    refused = "推报包未导入："

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--into", required=True, help="上级活动标识")
        parser.add_argument("--as-unit", required=True, dest="unit", help="推报单位代码")

    def run(self, *, file, into, unit, **options):
        campaign = Campaign.objects.filter(key=into).first()
        if campaign is None:
            raise CommandError(f"活动“{into}”不存在。")
        forwarding = RecommendingUnit.objects.filter(code=unit).first()
        if forwarding is None:
            raise CommandError(f"单位代码“{unit}”不存在。")
        created = import_package(file, campaign=campaign, unit=forwarding)
        return f"已导入{len(created)}个推荐到“{campaign.title}”（{forwarding.name}）。"
