from django.core.management.base import BaseCommand, CommandError

from tuixuan.campaigns.models import Campaign
from tuixuan.documents.package import build_package, exported
from tuixuan.nominations.models import Status


class Command(BaseCommand):
    help = (
        "生成推报包（zip）：所选状态的推荐的推荐表（WORD、PDF）、盖章扫描件、照片、汇总表与清单。"
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="活动标识")
        parser.add_argument("--out", required=True, help="输出的 zip 文件路径")
        parser.add_argument(
            "--status",
            action="append",
            choices=Status.values,
            help="只包含这些状态的推荐（可重复；默认：拟推荐、公示中、已推报）",
        )
        parser.add_argument("--no-pdf", action="store_true", help="不生成 PDF 版推荐表（更快）")

    def handle(self, *args, campaign, out, status, no_pdf, **options):
        target = Campaign.objects.filter(key=campaign).first()
        if target is None:
            raise CommandError(f"活动“{campaign}”不存在。")
        statuses = status or [Status.SHORTLISTED, Status.ANNOUNCED, Status.FORWARDED]
        nominations = exported(target, statuses)
        build_package(target, nominations, out, include_pdf=not no_pdf)
        self.stdout.write(self.style.SUCCESS(f"已生成推报包 {out}（{len(nominations)}个推荐）。"))
