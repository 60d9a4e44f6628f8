"""Several machines on one: three app nodes behind haproxy, one node and one worker killed mid-run.

    .venv/bin/python bench/cluster.py [--units 20] [--concurrency 12] [--node-workers 2]
                                      [--lease 20] [--kill-after 6] [--no-netns]

Needs root (network namespaces) and Debian's haproxy (`make bench-tools`). Starts, all on this
machine and all stopped again at the end (also on Ctrl-C or an error):

  PostgreSQL   the machine's, database ``tuixuan_cluster`` dropped and created anew;
  Redis        the machine's, database number ``--redis-db`` (flushed before and after): the
               cache every node shares;
  S3           moto's standalone server, its own process (tests/fixtures/s3.py), one bucket;
  3 app nodes  gunicorn, ``--node-workers`` sync workers each, each in a network namespace of
               its own (``ip netns`` + a veth pair; another machine as far as the network goes)
               with its own TUIXUAN_VAR_DIR and nothing shared on disk. A node reaches the
               database, Redis and the bucket only through the network: haproxy forwards TCP
               from the node's side of its veth to the services on the host's loopback;
  2 workers    ``manage.py worker``, each with a folder of its own;
  haproxy      the balancer: health checks on /healthz (database, cache and storage), queueing
               in front of nodes that are full, retrying elsewhere a connection that failed
               (never a request a node has already received: that one may have changed data).

``--no-netns`` (or a machine without ``ip netns``) puts the nodes on loopback ports instead.

Then the deadline spike's workload (bench/spike.py, what bench/deadline_spike.py does) through
the balancer, three times with new units each time: through 1 node, through 3 nodes, and
through 3 nodes while, ``--kill-after`` seconds in, the organiser has started a forwarding
package export and one app node and the worker running that export are killed (SIGKILL, the
whole process group: a machine gone). A browser that gets a 5xx shows the error page; the
person presses reload (or submits again) a second later, and so does the bench's client.

Checked and printed afterwards: every submission acknowledged to a unit is in the database,
submitted, with the photos sent (each photo object read back from the bucket, SHA-256
compared); no unit over its quota; the 5xx answers and which node they came from (haproxy's
log); the time from the kill until haproxy took the node out and until the last failed
request; the export: taken over after the lease (TUIXUAN_EXPORT_LEASE_SECONDS = ``--lease``) by
the surviving worker, nobody clicking (``documents.models.ExportQuerySet.take_over_stale``; the
organiser's 重新生成 only if it failed after three attempts), finished there and downloaded through
the balancer; nothing stored on the nodes' disks.
Figures per phase: throughput and p50/p95/p99 per kind of request, peak memory per worker.
"""

import argparse
import csv
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import ExitStack, closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

from browser import Browser, free_port, gunicorn_command, memory_kb, workers_of
from workspace import ROOT, recreate_postgres_database, workspace

DATABASE = "tuixuan_cluster"
BUCKET = "tuixuan-cluster"
NODES = 3
NODE_PORT = 8000
PREFIX = "txc"  # network namespaces txc-node1…, veth pairs txc-h1/txc-n1…
SUBNET = "10.77"  # node i: host side 10.77.i.1, node side 10.77.i.2 (/24)


def _options():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=12, help="units per phase (3 phases)")
    parser.add_argument("--concurrency", type=int, default=12, help="browsers at once")
    parser.add_argument("--node-workers", type=int, default=2, help="gunicorn workers a node")
    # Short, so the bench does not wait 3 minutes; long enough for the finished package's upload
    # to the bucket, which sends no heartbeat (at 20 s a loaded machine gave every retry up).
    parser.add_argument("--lease", type=int, default=60, help="TUIXUAN_EXPORT_LEASE_SECONDS")
    parser.add_argument("--kill-after", type=float, default=6, help="seconds into the phase")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--time-limit", type=float, default=600, help="seconds a phase")
    parser.add_argument("--no-netns", action="store_true", help="loopback ports instead")
    parser.add_argument("--keep", action="store_true", help="keep the logs and folders")
    return parser.parse_args()


OPTIONS = _options()
NETWORK = None  # set in main()

from tests.fixtures.s3 import make_bucket, s3_environment, s3_server  # noqa: E402

S3_PORT = free_port()  # chosen before Django reads the settings; the server starts in main()
S3_URL = f"http://127.0.0.1:{S3_PORT}"
os.environ.update(s3_environment(S3_URL, BUCKET))  # the bench itself reads the bucket back
WORK, ENV = workspace(
    "cluster", database_url=f"postgres://postgres@127.0.0.1:5432/{DATABASE}", served=True
)

from spike import (  # noqa: E402
    PER_UNIT,
    PHOTO_BYTES,
    PHOTOS_EACH,
    Recorder,
    check_database,
    latency_table,
    one_unit,
    percentile,
    photos,
    setup,
)

PASSWORD = "cluster-" + secrets.token_hex(8)
RELOAD_AFTER = 1.0  # seconds a person takes to read the error page and press reload
RELOADS = 3
RETRIES = 2  # times the organiser clicks 重新生成 before giving up


# ---------------------------------------------------------------------------------------------
# The machines: network namespaces, or loopback ports when there are none.


class Network:
    """Where each node listens and where it finds the shared services."""

    def __init__(self, use_netns):
        self.netns = use_netns

    def node_address(self, i):
        return f"{SUBNET}.{i}.2" if self.netns else "127.0.0.1"

    def node_port(self, i):
        return NODE_PORT if self.netns else NODE_PORT + 100 + i

    def uplink(self, i):
        """The address node ``i`` uses for the database, Redis and S3 (haproxy forwards it)."""
        return f"{SUBNET}.{i}.1" if self.netns else "127.0.0.1"

    def launcher(self, i):
        return ["ip", "netns", "exec", f"{PREFIX}-node{i}"] if self.netns else []

    def create(self):
        self.remove()  # what a run killed before its cleanup left behind
        for i in range(1, NODES + 1):
            ns, host, node = f"{PREFIX}-node{i}", f"{PREFIX}-h{i}", f"{PREFIX}-n{i}"
            for command in (
                f"ip netns add {ns}",
                f"ip link add {host} type veth peer name {node}",
                f"ip link set {node} netns {ns}",
                f"ip addr add {SUBNET}.{i}.1/24 dev {host}",
                f"ip link set {host} up",
                f"ip -n {ns} addr add {SUBNET}.{i}.2/24 dev {node}",
                f"ip -n {ns} link set {node} up",
                f"ip -n {ns} link set lo up",
            ):
                subprocess.run(command.split(), check=True, capture_output=True)

    def remove(self):
        """Kill what still runs in our namespaces, then delete them (their veths go with them)."""
        listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        for ns in re.findall(rf"^({PREFIX}-node\d+)", listed, re.MULTILINE):
            pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
            for pid in pids.stdout.split():
                with suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        for i in range(1, NODES + 1):
            subprocess.run(["ip", "link", "del", f"{PREFIX}-h{i}"], capture_output=True)


def netns_possible():
    if os.geteuid() != 0 or not shutil.which("ip"):
        return False
    probe = f"{PREFIX}-probe"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True).returncode == 0
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return made


# ---------------------------------------------------------------------------------------------
# The processes.


class Process:
    """A started program in its own process group, so that a kill takes all of it."""

    def __init__(self, name, command, env, log_path):
        self.name, self.log_path = name, log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.popen = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def kill(self):
        """SIGKILL to the whole group: the master and its workers die at once, as with power."""
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self):
        if self.alive():
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill()
        self.log.close()

    def tail(self, chars=1500):
        return Path(self.log_path).read_text(errors="replace")[-chars:]


def wait_until(test, seconds, what, process=None):
    deadline = time.monotonic() + seconds
    while not test():
        if process is not None and not process.alive():
            raise SystemExit(f"{what}: {process.name} exited.\n{process.tail()}")
        if time.monotonic() > deadline:
            detail = process.tail() if process is not None else ""
            raise SystemExit(f"{what}: not within {seconds} s.\n{detail}")
        time.sleep(0.1)


def http_status(host, port, path, timeout=5.0):
    import http.client

    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def service_env(network, i=None):
    """The environment of node ``i`` (or, with ``i`` None, of a worker on the host)."""
    uplink = network.uplink(i) if i is not None else "127.0.0.1"
    return {
        **os.environ,
        **ENV,
        "DATABASE_URL": f"postgres://postgres@{uplink}:5432/{DATABASE}",
        "TUIXUAN_REDIS_URL": f"redis://{uplink}:6379/{OPTIONS.redis_db}",
        **s3_environment(f"http://{uplink}:{S3_PORT}", BUCKET),
        "TUIXUAN_TRUSTED_PROXIES": uplink,  # haproxy, as the node sees it
        "TUIXUAN_EXPORT_LEASE_SECONDS": str(OPTIONS.lease),
        "TUIXUAN_EXPORT_WORKERS": "1",
        "PYTHONPATH": str(ROOT / "src"),
    }


def start_node(network, i):
    folder = WORK / f"node{i}"
    folder.mkdir()
    env = {**service_env(network, i), "TUIXUAN_VAR_DIR": str(folder)}
    host, port = network.node_address(i), network.node_port(i)
    command = [
        *network.launcher(i),
        *gunicorn_command(f"{host}:{port}", OPTIONS.node_workers, "--timeout=120"),
    ]
    return Process(f"node{i}", command, env, WORK / f"node{i}.log")


def wait_for_node(network, i, node):
    """Until the node answers /healthz itself: its database, cache and bucket reachable."""
    host, port = network.node_address(i), network.node_port(i)
    test = lambda: http_status(host, port, "/healthz") == 200  # noqa: E731
    wait_until(test, 120, f"node{i} /healthz", node)


def start_worker(k):
    folder = WORK / f"worker{k}"
    folder.mkdir()
    env = {**service_env(None), "TUIXUAN_VAR_DIR": str(folder)}
    command = [
        str(ROOT / ".venv" / "bin" / "python"),
        "manage.py",
        "worker",
        f"--worker-id=worker{k}",
        "--interval=0.5",
        "--no-startup-delay",
    ]
    return Process(f"worker{k}", command, env, WORK / f"worker{k}.log")


# ---------------------------------------------------------------------------------------------
# haproxy: the balancer (two entrances: node 1 alone, and all three) and the nodes' uplinks.


def haproxy_config(network, ports):
    node_lines = "\n".join(
        f"    server node{i} {network.node_address(i)}:{network.node_port(i)} check"
        for i in range(1, NODES + 1)
    )
    uplinks = ""
    if network.netns:  # TCP from each node's side of its veth to the services on loopback
        uplinks = "defaults uplinks\n    mode tcp\n    timeout connect 2s\n"
        uplinks += "    timeout client 1h\n    timeout server 1h\n"
        for name, port in (("postgresql", 5432), ("redis", 6379), ("s3", S3_PORT)):
            binds = ",".join(f"{network.uplink(i)}:{port}" for i in range(1, NODES + 1))
            uplinks += f"\nlisten uplink-{name}\n    bind {binds}\n"
            uplinks += f"    server {name} 127.0.0.1:{port}\n"
    workers = OPTIONS.node_workers  # a node takes what it can serve; the rest wait in haproxy
    passive = "observe layer4 error-limit 1 on-error mark-down"
    return f"""# Written by bench/cluster.py for one run; docs/deploy.md explains each setting.
global
    log stdout format raw local0
    stats socket {WORK / "haproxy.sock"} mode 600 level admin
    maxconn 4000

defaults
    mode http
    log global
    log-format "%ci %ft %b/%s %ST %HM %HU %Ta %tsc %rc"
    option forwardfor
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout queue 60s
    timeout check 5s
    retries 3
    option redispatch 1
    retry-on conn-failure

frontend one
    bind 127.0.0.1:{ports["one"]}
    http-request deny deny_status 413 if {{ req.hdr_val(content-length) gt 16777216 }}
    default_backend one

frontend all
    bind 127.0.0.1:{ports["all"]}
    http-request deny deny_status 413 if {{ req.hdr_val(content-length) gt 16777216 }}
    default_backend all

backend one
    server node1 {network.node_address(1)}:{network.node_port(1)} track all/node1 maxconn {workers}

backend all
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # A refused connection takes the node out at once (not after two missed checks): the
    # requests retried meanwhile would otherwise go back to it while the others are full.
    default-server inter 1s fall 2 rise 2 maxconn {workers} {passive}
{node_lines}

{uplinks}"""


class Haproxy(Process):
    def __init__(self, network):
        self.ports = {"one": free_port(), "all": free_port()}
        config = WORK / "haproxy.cfg"
        config.write_text(haproxy_config(network, self.ports))
        checked = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True)
        if checked.returncode:
            raise SystemExit(f"haproxy.cfg: {checked.stderr.decode()}{checked.stdout.decode()}")
        super().__init__(
            "haproxy", ["haproxy", "-db", "-f", str(config)], os.environ, WORK / "haproxy.log"
        )

    def servers(self):
        """Each server's state in the backend ``all`` (UP, DOWN, …), from the stats socket."""
        try:
            with closing(socket.socket(socket.AF_UNIX)) as sock:
                sock.connect(str(WORK / "haproxy.sock"))
                sock.sendall(b"show stat\n")
                data = b""
                while chunk := sock.recv(65536):
                    data += chunk
        except OSError:
            return {}
        rows = csv.DictReader(io.StringIO(data.decode().lstrip("# ")))
        return {
            r["svname"]: r["status"]
            for r in rows
            if r["pxname"] == "all" and r["svname"] not in ("FRONTEND", "BACKEND")
        }

    def answers(self):
        """(backend/server, status) of every request in haproxy's log so far."""
        found = []
        for line in Path(self.log_path).read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 5 and parts[3].lstrip("-").isdigit():
                found.append((parts[2], int(parts[3])))
        return found


# ---------------------------------------------------------------------------------------------
# The client: a browser whose person presses reload after an error page.


class ClusterRecorder(Recorder):
    def __init__(self):
        super().__init__()
        self.failed_at = []  # monotonic times of 5xx answers

    def __call__(self, kind, response):
        super().__call__(kind, response)
        if response.status >= 500:
            with self.lock:
                self.failed_at.append(time.monotonic())


class ReloadingBrowser(Browser):
    """After a 5xx (the balancer's 502 when the node serving the request died), the person
    reads the error page and sends the same thing again: reload, or submit the form again."""

    def request(self, kind, method, path, body=None, content_type=None):
        for _attempt in range(RELOADS):
            response = super().request(kind, method, path, body, content_type)
            if response.status < 500:
                return response
            time.sleep(RELOAD_AFTER)
        return super().request(kind, method, path, body, content_type)


@dataclass
class Phase:
    name: str
    entrance: str  # haproxy frontend: "one" or "all"
    units: range
    recorder: ClusterRecorder = field(default_factory=ClusterRecorder)
    acknowledged: dict = field(default_factory=dict)
    started: float = 0.0  # monotonic
    seconds: float = 0.0


def run_phase(phase, port, sent, *, during=None):
    """The spike's units of ``phase`` through the balancer's entrance at ``port``; ``during``
    runs beside them (the organiser and the kills) and its result is returned."""
    deadline = time.monotonic() + OPTIONS.time_limit
    pool = ThreadPoolExecutor(OPTIONS.concurrency)
    side = threading.Thread(target=during, daemon=True) if during else None
    start = time.perf_counter()
    try:
        futures = [
            pool.submit(
                one_unit,
                n,
                ReloadingBrowser(port, record=phase.recorder),
                password=PASSWORD,
                photos=sent,
                recorder=phase.recorder,
                deadline=deadline,
                acknowledged=phase.acknowledged,
            )
            for n in phase.units
        ]
        if side:
            side.start()
        wait(futures)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    phase.seconds = time.perf_counter() - start
    for future in futures:
        if future.exception():
            phase.recorder.fail("client", f"crashed: {future.exception()!r}")
    if side:
        side.join()


# ---------------------------------------------------------------------------------------------
# The organiser's export, and the kills.


def make_organiser(campaign):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from tuixuan.units.models import Role, RoleKind

    user = get_user_model().objects.create(
        username="cluster-organiser", password=make_password(PASSWORD)
    )
    Role.objects.create(user=user, kind=RoleKind.ORGANISER, campaign=campaign)


class Organiser:
    """The organiser at a browser through the balancer: starts the package export, watches it,
    clicks 重新生成 if it failed, downloads it."""

    def __init__(self, port):
        self.browser = ReloadingBrowser(port)
        self.browser.get("login page", "/accounts/login/")
        login = self.browser.post(
            "login", "/accounts/login/", {"username": "cluster-organiser", "password": PASSWORD}
        )
        if login.status != 302:
            raise SystemExit(f"organiser login: {login.status}")

    def start_export(self):
        page = "/office/c/gx-2024/exports/"
        self.browser.get("exports page", page)
        started = self.browser.post(
            "export", page, {"kind": "package", "statuses": ["submitted"], "include_pdf": "on"}
        )
        if started.status != 302:
            raise SystemExit(f"export: {started.status}")
        return started.location.strip("/").split("/")[-1]

    def state(self, export_id):
        import json

        answer = self.browser.get("export state", f"/office/exports/{export_id}/?format=json")
        return json.loads(answer.body) if answer.status == 200 else {"state": answer.status}

    def retry(self, export_id):
        self.browser.get("export page", f"/office/exports/{export_id}/")
        again = self.browser.post("retry", f"/office/exports/{export_id}/retry/", {})
        return again.location.strip("/").split("/")[-1]

    def download(self, export_id):
        return self.browser.get("download", f"/office/exports/{export_id}/download/")


def worker_running(export_id):
    """The worker id that claimed the export's task, once it is running."""
    from django_tasks_db.models import DBTaskResult

    newest_first = DBTaskResult.objects.order_by("-enqueued_at")  # a take-over queues it again
    for result in newest_first.filter(task_path__endswith="run_export"):
        if result.args_kwargs.get("args") == [export_id] and result.worker_ids:
            return result.worker_ids[-1]
    return None


def tasks_waiting():
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


@dataclass
class Kill:
    at: float = 0.0  # monotonic
    node: str = ""
    worker: str = ""
    export_id: str = ""
    export_state_at_kill: dict = field(default_factory=dict)
    node_down_after: float | None = None
    exports: list = field(default_factory=list)  # (id, how it ended, worker ids)
    export_done_after: float | None = None
    retried: bool = False
    download: tuple | None = None
    notes: list = field(default_factory=list)


def organiser_and_kills(haproxy, nodes, workers, kill):
    """Start the export, wait until a worker runs it and ``--kill-after`` has passed, kill that
    worker and node 2, then see the export through as the organiser would."""
    try:
        _organiser_and_kills(haproxy, nodes, workers, kill)
    except Exception as error:  # reported with the figures, not lost in a thread
        kill.notes.append(f"the organiser's side stopped: {error!r}")


def _organiser_and_kills(haproxy, nodes, workers, kill):
    from tuixuan.documents.models import Export

    began = time.monotonic()
    organiser = Organiser(haproxy.ports["all"])
    kill.export_id = export_id = organiser.start_export()
    claimed = None
    while time.monotonic() - began < 120:
        claimed = claimed or worker_running(export_id)
        if claimed and time.monotonic() - began >= OPTIONS.kill_after:
            break
        time.sleep(0.2)
    victim_worker = next((w for w in workers if w.name == claimed), workers[0])
    if claimed is None:
        kill.notes.append("the export was not claimed by a worker within 120 s")
    kill.export_state_at_kill = organiser.state(export_id)
    victim_node = nodes[1]
    kill.at = time.monotonic()
    victim_node.kill()
    victim_worker.kill()
    kill.node, kill.worker = victim_node.name, victim_worker.name
    while time.monotonic() - kill.at < 30:
        if haproxy.servers().get(victim_node.name, "").startswith("DOWN"):
            kill.node_down_after = time.monotonic() - kill.at
            break
        time.sleep(0.1)
    current = export_id
    while time.monotonic() - kill.at < OPTIONS.lease * 3 + 600:
        state = organiser.state(current)["state"]
        if state == "done":
            kill.export_done_after = time.monotonic() - kill.at
            attempt = Export.objects.get(pk=current).attempt
            kill.exports.append((current, f"done at attempt {attempt}", worker_running(current)))
            kill.download = download_and_check(organiser, current)
            return
        if state == "failed":
            error = Export.objects.get(pk=current).error
            kill.exports.append((current, f"failed: {error[:60]}…", worker_running(current)))
            if len(kill.exports) > RETRIES:
                kill.notes.append(f"the export failed {len(kill.exports)} times; not retried")
                return
            current = organiser.retry(current)  # the page's 重新生成 button
            kill.retried = True
        time.sleep(1.0)
    kill.notes.append(f"the export {current} did not finish in time")


def download_and_check(organiser, export_id):
    """The package downloaded through the balancer: its size, entries and whether it is whole."""
    answer = organiser.download(export_id)
    if answer.status != 200:
        return (answer.status, 0, 0, "not downloaded")
    with zipfile.ZipFile(io.BytesIO(answer.body)) as package:
        broken = package.testzip()
        return (answer.status, len(answer.body), len(package.namelist()), broken or "whole")


# ---------------------------------------------------------------------------------------------


def phase_figures(phase):
    r = phase.recorder
    return (
        f"{phase.name}: {len(phase.units)} units, {phase.seconds:.1f} s, "
        f"{r.requests / phase.seconds:.1f} requests/s, "
        f"{len(phase.acknowledged) / phase.seconds:.2f} submissions/s; "
        f"{len(phase.acknowledged)} of {len(phase.units) * PER_UNIT} submitted; "
        f"5xx {r.errors_5xx}; units stopped early {sum(r.unexpected.values())}"
    )


def overall(phase):
    seconds = [s for kind in phase.recorder.seconds.values() for s in kind]
    return percentile(seconds, 0.5), percentile(seconds, 0.95), percentile(seconds, 0.99)


def local_media_files():
    """Files stored under any node's or worker's own media folder (none, with S3)."""
    return [p for folder in WORK.glob("*/media") for p in folder.rglob("*") if p.is_file()]


def bucket_objects():
    from tests.fixtures.s3 import client

    pages = client(S3_URL).get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    return [item for page in pages for item in page.get("Contents", [])]


def report(phases, kill, haproxy, campaign, peaks, load):
    print(
        f"\n{NODES} app nodes × {OPTIONS.node_workers} gunicorn sync workers "
        f"({'network namespaces' if NETWORK.netns else 'loopback ports'}), 2 task workers, "
        f"haproxy, PostgreSQL, Redis, moto S3; {OPTIONS.concurrency} concurrent browsers; "
        f"{PER_UNIT} nominations × {PHOTOS_EACH} photos of {PHOTO_BYTES / 1048576:.1f} MB a unit; "
        f"{os.cpu_count()} cores, load {load:.1f} before"
    )
    for phase in phases:
        p50, p95, p99 = overall(phase)
        print(f"\n  {phase_figures(phase)}")
        print(f"    all requests: p50 {p50:.3f} s, p95 {p95:.3f} s, p99 {p99:.3f} s")
        print(latency_table(phase.recorder, indent="    "))
        for failure in phase.recorder.failures:
            print(f"      {failure}")
    one, three = phases[0], phases[1]
    ratio = (three.recorder.requests / three.seconds) / (one.recorder.requests / one.seconds)
    print(
        f"\n  3 nodes ÷ 1 node: {ratio:.2f}× the requests a second (one machine's 2 cores shared)"
    )

    killed = phases[2]
    print(f"\n  kill: {kill.node} (SIGKILL, all its processes) and {kill.worker} at "
          f"{kill.at - killed.started:.1f} s into '{killed.name}'")  # fmt: skip
    down = kill.node_down_after
    print(f"    haproxy marked {kill.node} DOWN after {f'{down:.1f} s' if down else '—'}")
    after = [t - kill.at for t in killed.recorder.failed_at if t >= kill.at - 1]
    print(
        f"    failed answers (5xx) seen by browsers: {killed.recorder.errors_5xx}, the last "
        + (f"{max(after):.1f} s after the kill" if after else "— (none)")
        + "; each reloaded by its browser"
    )
    by_server = {}
    for server, status in haproxy.answers():
        if status >= 500 or status < 0:  # -1: cut off with no answer (the browser resends it)
            by_server[server] = by_server.get(server, 0) + 1
    print(f"    5xx or cut off (-1), by node, in haproxy's log: {by_server or 'none'}")
    state = kill.export_state_at_kill
    print(
        f"    export {kill.export_id[:8]}: {state.get('state')} {state.get('done')}/"
        f"{state.get('total')} when {kill.worker} was killed"
    )
    for export_id, ended, worker in kill.exports:
        print(f"      {export_id[:8]} {ended} (worker {worker})")
    if kill.retried:
        print(
            f"      given up after the lease ({OPTIONS.lease} s) and started again by the "
            "organiser with 重新生成, as the export page asks"
        )
    if kill.export_done_after is not None:
        print(f"      done {kill.export_done_after:.1f} s after the kill")
    if kill.download:
        status, size, entries, whole = kill.download
        print(f"      download through the balancer: {status}, {size / 1048576:.1f} MB, "
              f"{entries} entries, zip {whole}")  # fmt: skip
    for note in kill.notes:
        print(f"    ! {note}")

    acknowledged = {k: v for phase in phases for k, v in phase.acknowledged.items()}
    problems = check_database(campaign, acknowledged)
    photos_checked = sum(len(hashes) for _c, _k, hashes in acknowledged.values())
    objects = bucket_objects()
    stored_mb = sum(o["Size"] for o in objects) / 1048576
    local = local_media_files()
    print(
        f"\n  checked: {len(acknowledged)} acknowledged submissions in the database, "
        f"{photos_checked} photos read back from the bucket (SHA-256); "
        f"{len(objects)} objects in the bucket ({stored_mb:.0f} MB); "
        f"files on the nodes' and workers' own disks under media/: {len(local)}"
    )
    print(f"  database check: {'clean (0 lost, 0 over quota)' if not problems else problems[:20]}")
    peak_list = "; ".join(
        f"{name}: " + ", ".join(f"{kb / 1024:.0f}" for kb in kbs) for name, kbs in peaks.items()
    )
    print(f"  peak RSS per gunicorn worker (VmHWM, MB): {peak_list}")


def main():
    global NETWORK
    began = time.perf_counter()
    load = os.getloadavg()[0]
    if not shutil.which("haproxy"):
        raise SystemExit("haproxy is not installed: make bench-tools")
    NETWORK = Network(not OPTIONS.no_netns and netns_possible())
    import redis

    cache = redis.Redis(host="127.0.0.1", port=6379, db=OPTIONS.redis_db)
    with ExitStack() as stack:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds the stack too
        cache.flushdb()
        stack.callback(cache.flushdb)
        recreate_postgres_database(DATABASE)
        stack.enter_context(s3_server(port=S3_PORT, log_path=WORK / "moto.log"))
        make_bucket(S3_URL, BUCKET)
        units = OPTIONS.units
        campaign = setup(units * 3, PASSWORD)
        make_organiser(campaign)
        sent = photos()
        if NETWORK.netns:
            NETWORK.create()
            stack.callback(NETWORK.remove)
        haproxy = Haproxy(NETWORK)
        stack.callback(haproxy.stop)
        nodes, workers = [], []
        for i in range(1, NODES + 1):
            nodes.append(start_node(NETWORK, i))
            stack.callback(nodes[-1].stop)
        for i, node in enumerate(nodes, 1):
            wait_for_node(NETWORK, i, node)
        for k in (1, 2):
            workers.append(start_worker(k))
            stack.callback(workers[-1].stop)
        wait_until(
            lambda: all(s == "UP" for s in haproxy.servers().values()) and haproxy.servers(),
            30,
            "haproxy sees every node UP",
            haproxy,
        )
        warm = Browser(haproxy.ports["all"])  # every worker imports its views before the clock
        for _ in range(NODES * OPTIONS.node_workers * 3):
            warm.get("warm", "/accounts/login/")
        warm.close()
        print(f"setup: {time.perf_counter() - began:.1f} s", flush=True)

        phases = [
            Phase("1 node", "one", range(0, units)),
            Phase("3 nodes", "all", range(units, 2 * units)),
            Phase("3 nodes, one node and one worker killed", "all", range(2 * units, 3 * units)),
        ]
        kill = Kill()
        for phase in phases:
            # Each phase starts with the workers idle (PDF forms of the last one rendered).
            wait_until(lambda: tasks_waiting() == 0, 300, "task queue drained")
            phase.started = time.monotonic()
            during = None
            if phase is phases[2]:
                during = lambda: organiser_and_kills(haproxy, nodes, workers, kill)  # noqa: E731
            run_phase(phase, haproxy.ports[phase.entrance], sent, during=during)
            print(phase_figures(phase), flush=True)
        peaks = {
            node.name: [memory_kb(pid, "VmHWM") for pid in workers_of(node.pid)]
            for node in nodes
            if node.alive()
        }
        report(phases, kill, haproxy, campaign, peaks, load)
        print(f"\ntotal {time.perf_counter() - began:.0f} s; logs in {WORK}", flush=True)
    if not OPTIONS.keep:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
