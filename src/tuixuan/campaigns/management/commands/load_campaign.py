from django.core.management.base import BaseCommand, CommandError

from tuixuan.campaigns.loader import load_campaign_file
from tuixuan.common.exceptions import CampaignFileError


class Command(BaseCommand):
    help = "载入或更新一个活动文件（TOML）。文件有误时列出每个问题，不写入任何内容。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="活动文件路径，如 campaigns/gx-2024.toml")

    def handle(self, *args, file, **options):
        try:
            campaign = load_campaign_file(file)
        except CampaignFileError as error:
            raise CommandError(f"活动文件有误，未载入：\n{error}") from None
        categories = campaign.categories.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入活动“{campaign.title}”（{campaign.key}），{categories}个类别。"
            )
        )
