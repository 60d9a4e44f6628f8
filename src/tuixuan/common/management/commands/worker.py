"""``manage.py worker``: django-tasks-db's worker, which outlives a database restart.

django-tasks-db's ``db_worker`` stops for good on the first database error that is not a locked
SQLite file, so a PostgreSQL restart (or a failover) left exports queued forever. This worker
runs the same loop; on a lost connection it logs, drops the connection, waits and goes on. Run it
under a supervisor that restarts it if the process itself dies (systemd ``Restart=always``: see
docs/deploy.md).

Every worker also sends ``worker_tick`` every few seconds, from a thread of its own, for the
housekeeping no single machine may own when there are several: the documents app takes over the
exports whose worker died (``documents.models.ExportQuerySet.take_over_stale``), so an export
started on a machine that is lost completes on a machine that lives.
"""

import logging
import threading
import time

from django.db import InterfaceError, OperationalError, connections
from django.dispatch import Signal
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("tuixuan.worker")

RECONNECT_AFTER = 2.0  # seconds between attempts while the database is away
TICK_EVERY = 5.0  # seconds between two ``worker_tick`` signals

# Sent by every running worker every TICK_EVERY seconds, outside any transaction.
worker_tick = Signal()


class Ticker(threading.Thread):
    """Sends ``worker_tick`` until stopped; a receiver's database error is logged, not fatal."""

    def __init__(self):
        super().__init__(name="worker-tick", daemon=True)
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(TICK_EVERY):
            try:
                worker_tick.send(sender=self.__class__)
            except (OperationalError, InterfaceError) as error:
                logger.warning("后台例行检查时数据库不可用：%s", error)
            finally:
                connections.close_all()  # this thread's own connections


class ReconnectingWorker(db_worker.Worker):
    def run(self) -> None:
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                logger.warning("数据库连接中断，%.0f 秒后重连：%s", RECONNECT_AFTER, error)
                connections.close_all()
                time.sleep(RECONNECT_AFTER)
        return None


class Command(db_worker.Command):
    help = "运行后台任务（导出、PDF推荐表）；数据库重启后自动重连。"

    # db_worker's options that the worker takes by the same name, as they are.
    PASSED_ON = ("interval", "batch", "backend_name", "startup_delay", "max_tasks", "worker_id")

    def handle(self, *, verbosity, queue_name, exclude_queues, **options):
        self.configure_logging(verbosity)
        worker = ReconnectingWorker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            **{name: options[name] for name in self.PASSED_ON},
        )
        worker.configure_signals()
        ticker = Ticker()
        ticker.start()
        try:
            worker.run()
        finally:
            ticker.stopped.set()
