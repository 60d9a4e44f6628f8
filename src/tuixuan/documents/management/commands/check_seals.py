from django.core.management.base import BaseCommand

from tuixuan.nominations.models import Attachment, SealState

from ...tasks import check_the_seal


class Command(BaseCommand):
    help = "为尚未检查印章的盖章扫描件排队检查（升级后对已上传的扫描件运行一次；由 worker 执行）。"

    def handle(self, *args, **options):
        waiting = Attachment.objects.filter(seal_state=SealState.PENDING).values_list(
            "pk", flat=True
        )
        for pk in waiting:
            check_the_seal.enqueue(pk)
        self.stdout.write(self.style.SUCCESS(f"已排队检查 {len(waiting)} 个盖章扫描件。"))
