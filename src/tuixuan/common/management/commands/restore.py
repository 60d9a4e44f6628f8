from tuixuan.common.backup import restore_backup
from tuixuan.common.management.base import ServiceCommand


class Command(ServiceCommand):
    help = (
        "恢复：先完整校验备份（清单、每个文件的 SHA-256、路径安全），"
        "再恢复到空数据库和媒体文件目录。"
        "目标数据库已有数据、迁移状态与备份不一致或备份被改动时整体拒绝，不写入任何内容；"
        "空数据库会先执行 migrate。"
    )
    refused = "未恢复："

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件（manage.py backup 生成的 zip）")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def run(self, *, file, database, **options):
        manifest = restore_backup(file, using=database)
        rows = sum(manifest.counts.values())
        return (
            f"已从 {file}（{manifest.created_at}）恢复{rows}条数据库记录、"
            f"{len(manifest.media)}个媒体文件。"
        )
