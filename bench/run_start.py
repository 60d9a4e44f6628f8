"""How long `make run` takes from the command to the first 200 on `/` (issue 14: a second start
within 20 s). Run it twice: the first start migrates and seeds; the second skips what has not
changed (the stamps in var/run/, see the Makefile).

    .venv/bin/python bench/run_start.py [make arguments …]

Extra arguments go to make (e.g. ``VENV=/elsewhere/.venv -o /elsewhere/.venv/.synced``). It
starts `make run` on a free port in its own process group, asks for `/` every 0.2 s, prints
the seconds and the load average, and stops the group.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(extra):
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    run = subprocess.Popen(
        ["make", "run", f"RUN_ADDRESS={address}", *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://{address}/", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if run.poll() is not None:
                    sys.exit(f"make run stopped (exit {run.returncode})")
                time.sleep(0.2)
        seconds = time.monotonic() - started
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=30)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"make run → first 200 on /: {seconds:.1f} s (load average {load})")


if __name__ == "__main__":
    main(sys.argv[1:])
