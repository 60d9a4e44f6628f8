"""What the HTTP benchmarks share: a gunicorn to talk to and a small browser to talk to it with.

Not a benchmark itself. The browser is the standard library's ``http.client`` over one keep-alive
connection, with a cookie jar, the CSRF token read from each page's form (as a browser posts it),
``Origin`` and ``X-Forwarded-Proto: https`` set as a browser behind the HTTPS proxy would, and
``multipart/form-data`` for file inputs. Redirects after a POST are followed with a GET, like a
browser does, and timed as their own request.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(bind, workers, *more) -> list[str]:
    """The command of a gunicorn serving tuixuan with ``workers`` sync workers (the
    deployment's default) on ``bind`` (host:port); ``more``: further options."""
    return [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "tuixuan.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        "--log-level=warning",
        f"--pythonpath={ROOT / 'src'}",
        *more,
    ]


def start_gunicorn(port, workers, env, log):
    """gunicorn with ``workers`` sync workers, once it accepts."""
    command = gunicorn_command(f"127.0.0.1:{port}", workers)
    server = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=log)
    for _ in range(300):
        if len(workers_of(server.pid)) == workers:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return server
            except OSError:
                pass
        time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def workers_of(master_pid) -> list[int]:
    """The worker processes: the master's children."""
    try:
        path = Path(f"/proc/{master_pid}/task/{master_pid}/children")
        return [int(pid) for pid in path.read_text().split()]
    except OSError:
        return []


def memory_kb(pid, field="VmRSS") -> int:
    """A process's resident set (``VmRSS``) or its peak (``VmHWM``), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def reset_peak(pid):
    """Set a process's VmHWM back to its current VmRSS (Linux ≥ 4.0), to see one request's peak."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def multipart(fields, files) -> tuple[bytes, str]:
    """A form body as a browser sends it: ``files`` is a list of (field, filename, bytes)."""
    boundary = "----tuixuanbench" + secrets.token_hex(8)
    parts = []
    for name, value in fields:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, data in files:
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def form_pairs(data: dict) -> list[tuple[str, str]]:
    """A dict as posted by a form: a list value becomes repeated fields (checkboxes)."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item)))
    return pairs


class Response:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path


class Browser:
    """One person at one browser: one connection, one cookie jar, the page's last CSRF token."""

    def __init__(self, port, *, timeout=120, record=None):
        self.port, self.timeout = port, timeout
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies, self.token = {}, ""
        self.headers = {}  # sent with every request (an API token's Authorization)
        self.record = record or (lambda kind, response: None)
        self.connection = None

    def close(self):
        if self.connection:
            self.connection.close()

    def request(self, kind, method, path, body=None, content_type=None):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",  # what the reverse proxy in front of gunicorn sets
            "User-Agent": "tuixuan-bench",
            **self.headers,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
            headers["Content-Type"] = content_type
        for attempt in range(2):  # a keep-alive connection the server has closed: reconnect once
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout
                )
            start = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                raw = self.connection.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        response = Response(raw.status, raw.headers, data, time.perf_counter() - start)
        for header in raw.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or value in ('""', ""):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        found = TOKEN.search(data)
        if found:
            self.token = found.group(1).decode()
        if raw.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        self.record(kind, response)
        return response

    def get(self, kind, path):
        return self.request(kind, "GET", path)

    def post(self, kind, path, data, *, files=None, follow=None):
        """POST a form with the page's CSRF token; follow a redirect with a GET (as ``follow``)."""
        fields = [("csrfmiddlewaretoken", self.token), *form_pairs(data)]
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        response = self.request(kind, "POST", path, body, content_type)
        if follow and response.status in (301, 302, 303) and response.location:
            self.get(follow, response.location)
        return response
