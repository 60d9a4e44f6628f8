from tuixuan.common.backup import write_backup
from tuixuan.common.management.base import ServiceCommand


class Command(ServiceCommand):
    help = (
        "备份：把整个数据库（与数据库类型无关的格式）和媒体文件目录中的全部文件写入一个 zip，"
        "附带清单 manifest.json（迁移状态、每类记录数、每个文件的大小与 SHA-256）。"
    )
    refused = "备份失败："

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="输出的备份文件路径（.zip）")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def run(self, *, out, database, **options):
        manifest = write_backup(out, using=database)
        if manifest.missing_media:
            self.warn(
                f"注意：数据库引用的{len(manifest.missing_media)}个文件在媒体文件目录中不存在，"
                f"例如“{manifest.missing_media[0]}”（已记入清单 missing_media）。"
            )
        if manifest.skipped_media:
            self.warn(
                f"注意：媒体文件目录中有{len(manifest.skipped_media)}个符号链接或特殊文件未备份，"
                f"例如“{manifest.skipped_media[0]}”（已记入清单 skipped_media）。"
            )
        rows = sum(manifest.counts.values())
        return f"已备份到 {out}：{rows}条数据库记录，{len(manifest.media)}个媒体文件。"
