from django.conf import settings
from django.core.files.storage import storages

from tuixuan.common.exceptions import Refused
from tuixuan.common.management.base import ServiceCommand
from tuixuan.common.media_move import move_media

PLACES = {"s3": "对象存储（S3 兼容存储桶）", "local": "本机磁盘（媒体文件目录）"}


class Command(ServiceCommand):
    help = (
        "把全部已存文件（照片、盖章扫描件、推荐表PDF、导出文件等）从当前使用的存储"
        "（TUIXUAN_STORAGE）复制到另一种存储：--to s3 复制到 TUIXUAN_S3_* 指定的存储桶，"
        "--to local 复制到本机媒体文件目录。每个文件写入后读回核对 SHA-256；目标中已有且相同的"
        "文件跳过，所以中断后再运行一次即可接着完成；目标中同名而内容不同的文件不会被覆盖。"
        "源存储中的文件不会删除。"
        "建议步骤：先在系统运行时复制一遍；再停止各节点和任务进程，运行第二遍补齐新文件；"
        "然后把 TUIXUAN_STORAGE 改为目标（s3 或 local），再启动全部进程。"
    )
    refused = "迁移未完成："

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", required=True, choices=sorted(PLACES), help="目标存储：s3 或 local"
        )

    def run(self, *, to, verbosity, **options):
        current = settings.TUIXUAN_STORAGE
        if to == current:
            raise Refused(
                f"当前已在使用{PLACES[to]}（TUIXUAN_STORAGE={current}），无需迁移。"
                "请在切换 TUIXUAN_STORAGE 之前运行本命令。"
            )
        if to not in settings.STORAGES:
            raise Refused(
                "未配置对象存储：请设置 TUIXUAN_S3_BUCKET，以及 TUIXUAN_S3_ENDPOINT_URL、"
                "TUIXUAN_S3_REGION、TUIXUAN_S3_ACCESS_KEY、TUIXUAN_S3_SECRET_KEY"
                "（见 docs/deploy.md）。"
            )
        self.stdout.write(f"从{PLACES[current]}复制到{PLACES[to]}。")
        report = self.stdout.write if verbosity >= 1 else lambda line: None
        summary = move_media(storages["default"], storages[to], report=report)
        if summary.problems:
            lines = [f"  {name}：{why}" for name, why in summary.problems[:20]]
            more = len(summary.problems) - len(lines)
            raise Refused(
                "\n".join(
                    [
                        summary.line(),
                        *lines,
                        *([f"  ……另有{more}个"] if more > 0 else []),
                        "请处理上述文件后再次运行（已复制的会跳过）。",
                    ]
                )
            )
        return (
            f"{summary.line()}全部文件已在{PLACES[to]}中核对无误。"
            f"下一步：把 TUIXUAN_STORAGE 改为 {to}，然后重启全部节点和任务进程。"
        )
