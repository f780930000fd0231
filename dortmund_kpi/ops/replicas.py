"""``dortmund-kpi serve --replicas N``: N Streamlit processes behind one nginx.

A Streamlit session lives in one process, over one websocket; a city dashboard
outgrows one process by its viewers. So N replicas listen on loopback ports
P+1 … P+N and Debian's nginx listens on P in front of them.

- **Affinity by a cookie the proxy sets.** A session's media files, downloads and
  uploads are kept in the memory of the replica that runs it, so every request of a
  browser must reach the same replica. ``ip_hash`` would put every visitor behind the
  city's proxy or NAT (and every test on loopback) on one replica; Streamlit's own
  cookies change their text on every response, so hashing them moves a browser.
  nginx (open source) has no ``sticky cookie`` (that is nginx Plus), so the config
  does it by hand: every response sets ``dkpi_replica`` to the replica that served
  it, and a request with that cookie goes to that replica first.
- **Health checks are passive.** A replica that refuses a connection is skipped
  for ``FAIL_TIMEOUT_S`` (``max_fails=1``) and the request goes to another one, as
  does the websocket of a session whose replica died: the browser reconnects and
  the URL holds its view. Active checks of ``/_stcore/health`` are an nginx Plus
  feature; instead this supervisor restarts a replica whose process ended.
- **No root paths.** Config, pid, logs and nginx's temp folders live in one run
  folder, removed on exit. SIGTERM or SIGINT stops nginx and every replica.

Every replica reads the same published database version: an import swaps the
store's symlink once and each replica switches on its next page run.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from dortmund_kpi.ops.console import UsageError, print_err

MAX_REPLICAS = 16
FAIL_TIMEOUT_S = 10  # how long nginx skips a replica that refused a connection
STARTUP_TIMEOUT_S = 120.0
STOP_GRACE_S = 10.0
MAX_RESTARTS = 5  # per replica and minute
ROUTE_COOKIE = "dkpi_replica"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

# A browser with a valid route cookie goes to its replica's pool: that replica, the others as
# backups (passive failover). A browser without one goes to the least busy replica. Every
# response names the replica that actually served it, so after a failover the browser
# stays with the replica that now holds its session, even when the old one comes back.
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
{user}
events {{ worker_connections 4096; }}

http {{
    log_format replicas '$remote_addr [$time_local] "$request" $status '
                        'upstream=$upstream_addr route=$cookie_{cookie}';
    access_log {run}/access.log replicas;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size {body_mb}m;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    map $cookie_{cookie} $pool {{
{routes}
        default dortmund_kpi_any;
    }}
    map $upstream_addr $set_route {{
        "~127\\.0\\.0\\.1:(?<served>[0-9]+)$" "{cookie}=r$served; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}

    upstream dortmund_kpi_any {{
        least_conn;
{servers}
    }}
{pools}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://$pool;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502 http_503;
            add_header Set-Cookie $set_route always;
        }}
    }}
}}
"""


def nginx_config(run_dir: Path, listen: str, ports: list[int], max_upload_mb: int = 50) -> str:
    """The nginx config for replicas on ``ports`` (loopback), listening on ``listen``."""

    def server(port: int, backup: bool = False) -> str:
        extra = " backup" if backup else f" max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s"
        return f"        server 127.0.0.1:{port}{extra};"

    pools = "".join(
        f"    upstream r{port} {{\n"
        + "\n".join([server(port), *(server(other, True) for other in ports if other != port)])
        + "\n    }\n"
        for port in ports
    )
    # As root, nginx's workers switch to an unprivileged user, which must reach the run dir.
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    return NGINX_CONF.format(
        run=run_dir,
        user=user,
        cookie=ROUTE_COOKIE,
        routes="\n".join(f"        r{port} r{port};" for port in ports),
        servers="\n".join(server(port) for port in ports),
        pools=pools,
        listen=listen,
        body_mb=max_upload_mb + 1,
    )


def find_nginx() -> str:
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise UsageError(
        "nginx fehlt (für --replicas). Installieren mit: sudo apt-get install nginx-light"
    )


def _die_with_parent() -> None:
    """Children get SIGTERM when the supervisor dies, even by SIGKILL (Linux prctl)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _healthy(port: int) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/_stcore/health"
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


class Replicas:
    """The running children: replicas by port, and nginx."""

    def __init__(self, command: Callable[[int], list[str]], ports: list[int], cwd: Path) -> None:
        self.command = command
        self.ports = ports
        self.cwd = cwd
        self.children: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self.restarts: dict[int, list[float]] = {}

    def start_replica(self, port: int) -> None:
        self.children[port] = subprocess.Popen(
            self.command(port), cwd=self.cwd, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
        )

    def wait_healthy(self, stopping: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        waiting = set(self.ports)
        while waiting and time.monotonic() < deadline and not stopping():
            for port in list(waiting):
                if self.children[port].poll() is not None:
                    print_err(
                        f"Replikat auf Port {port} beendet (Code {self.children[port].returncode})"
                    )
                    return False
                if _healthy(port):
                    waiting.discard(port)
            time.sleep(0.25)
        if waiting and not stopping():
            print_err(
                f"Replikate nicht bereit nach {STARTUP_TIMEOUT_S:.0f} s: Ports {sorted(waiting)}"
            )
        return not waiting

    def restart_ended(self) -> bool:
        """Start again every replica whose process ended (crash, kill, OOM); False when one
        keeps ending (``MAX_RESTARTS`` within a minute): then something else is wrong."""
        now = time.monotonic()
        for port, child in list(self.children.items()):
            if child.poll() is None:
                continue
            recent = [t for t in self.restarts.get(port, []) if t > now - 60] + [now]
            self.restarts[port] = recent
            if len(recent) > MAX_RESTARTS:
                print_err(f"Replikat auf Port {port} endet immer wieder (Code {child.returncode})")
                return False
            print_err(f"Replikat auf Port {port} beendet (Code {child.returncode}), neu gestartet")
            self.start_replica(port)
        return True

    def stop(self) -> None:
        everyone = [p for p in (self.nginx, *self.children.values()) if p and p.poll() is None]
        for process in everyone:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()  # nginx: fast shutdown; Streamlit: closes its sessions
        deadline = time.monotonic() + STOP_GRACE_S
        for process in everyone:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def serve_replicas(
    count: int, port: int, address: str | None, command: Callable[[int], list[str]], cwd: Path
) -> int:
    """Run ``count`` replicas and nginx until SIGTERM or SIGINT; return the exit code."""
    if not 1 <= count <= MAX_REPLICAS:
        raise UsageError(f"--replicas: 1 bis {MAX_REPLICAS} Prozesse")
    if not 0 < port <= 65535 - count:
        raise UsageError(f"--port: für {count} Replikate höchstens {65535 - count}")
    nginx = find_nginx()
    stop = {"signal": 0}

    def on_signal(signum: int, _frame: object) -> None:
        stop["signal"] = signum

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    run_dir = Path(tempfile.mkdtemp(prefix="dortmund-kpi-replicas-"))
    replicas = Replicas(command, [port + i for i in range(1, count + 1)], cwd)
    try:
        return _run(replicas, nginx, run_dir, address, port, lambda: bool(stop["signal"]))
    finally:
        replicas.stop()
        shutil.rmtree(run_dir, ignore_errors=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _run(
    replicas: Replicas,
    nginx: str,
    run_dir: Path,
    address: str | None,
    port: int,
    stopping: Callable[[], bool],
) -> int:
    run_dir.chmod(0o755)  # nginx's workers (as root: nobody) write their temp files here
    for name in TEMP_DIRS:
        (run_dir / name).mkdir()
    listen = f"{address}:{port}" if address else str(port)
    conf = run_dir / "nginx.conf"
    conf.write_text(nginx_config(run_dir, listen, replicas.ports), encoding="utf-8")
    for replica_port in replicas.ports:
        replicas.start_replica(replica_port)
    if not replicas.wait_healthy(stopping):
        return 0 if stopping() else 1
    replicas.nginx = subprocess.Popen(
        [nginx, "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-c", str(conf)],
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    print(
        f"Dashboard: http://{address or 'localhost'}:{port} (nginx vor {len(replicas.ports)} "
        f"Replikaten auf den Ports {replicas.ports[0]}–{replicas.ports[-1]}, Konfiguration {conf})",
        flush=True,
    )
    while not stopping():
        if replicas.nginx.poll() is not None:
            log = (run_dir / "error.log").read_text(errors="replace")[-2000:]
            print_err(f"nginx beendet (Code {replicas.nginx.returncode}):\n{log}")
            return 1
        if not replicas.restart_ended():
            return 1
        time.sleep(0.5)
    sys.stdout.flush()
    return 0
