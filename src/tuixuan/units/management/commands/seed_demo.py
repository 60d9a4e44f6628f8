from django.core.management.base import BaseCommand, CommandError

from tuixuan.campaigns.models import Campaign
from tuixuan.units.demo import DEMO_PASSWORD, create_demo, demo_seeded


class Command(BaseCommand):
    help = (
        "为活动创建演示账号：一个组织方、三个推荐单位（市科协、学会、有关单位）和一个评审专家；"
        "活动有上级活动时，另建上级活动的组织方，并让本活动组织方单位参加上级活动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", default="gx-2024", help="活动标识（默认 gx-2024）")
        parser.add_argument(
            "--chain",
            action="store_true",
            help="再建一个公示期满、可推报至上级活动的演示推荐（活动须有上级活动）",
        )

    def handle(self, *args, campaign, chain, **options):
        target = Campaign.objects.filter(key=campaign).first()
        if target is None:
            raise CommandError(f"活动“{campaign}”不存在，请先运行 load_campaign。")
        logins = create_demo(target)
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, who in logins:
            self.stdout.write(f"  {username:10} {who}")
        for _receiver, said in demo_seeded.send(sender=Campaign, campaign=target, chain=chain):
            if said:
                self.stdout.write(said)
