"""The reference deployment on this machine: PostgreSQL, the release step, N app instances, the
calendar server, nginx.

Everything runs on 127.0.0.1 on free ports, from one temporary folder, and is stopped by process
id: a throwaway PostgreSQL cluster (as the store tests use), `sensory-audit db upgrade` run once,
`streamlit run app.py` per instance (each with its own empty data folder, so nothing is shared on
disk: the photos are in the database), and nginx from deploy/nginx.conf with the instances' ports.

    deploy/local                 # two instances with the demo portfolio; prints the address
    deploy/local --instances 3 --no-demo

The load test (bench/load.py) and the deployment test (tests/e2e/test_deploy.py) start it too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tests.assessments.postgres_server import TemporaryPostgres

__all__ = ["ROOT", "Instance", "LocalDeployment", "nginx_binary", "render_nginx_conf"]

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = Path(__file__).with_name("nginx.conf")
# A server line of the upstream in nginx.conf: replaced by this machine's instances.
_INSTANCE_LINE = re.compile(r"^\s*server\s+\S+\s+(.*?);\s*# instance\s*$", re.MULTILINE)
# The calendar server's line: replaced by this machine's calendar server.
_CALENDAR_LINE = re.compile(r"^(\s*server\s+)\S+(\s+.*?;\s*# calendar\s*)$", re.MULTILINE)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def render_nginx_conf(ports: list[int], listen_port: int, folder: Path, calendar_port: int) -> str:
    """deploy/nginx.conf as it runs here: the upstreams list these instance ports and this calendar
    server's port, the proxy listens on 127.0.0.1, and logs and temporary files stay in `folder`."""
    text = NGINX_CONF.read_text()
    if not _CALENDAR_LINE.search(text):
        raise RuntimeError(f"{NGINX_CONF}: no upstream server line marked '# calendar'")
    text = _CALENDAR_LINE.sub(rf"\g<1>127.0.0.1:{calendar_port}\g<2>", text)
    found = list(_INSTANCE_LINE.finditer(text))
    if not found:
        raise RuntimeError(f"{NGINX_CONF}: no upstream server line marked '# instance'")
    options = found[0].group(1)
    servers = "\n".join(f"        server 127.0.0.1:{port} {options};  # instance" for port in ports)
    text = text[: found[0].start()] + servers + text[found[-1].end() :]
    text = text.replace("listen 80;", f"listen 127.0.0.1:{listen_port};")
    text = text.replace("/var/log/nginx/sensory-audit.log", str(folder / "access.log"))
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return text.replace("http {\n", "http {\n" + temp + "\n", 1)


@dataclass
class Instance:
    """One `streamlit run` app instance."""

    port: int
    data_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    log: BinaryIO | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class LocalDeployment:
    instances_wanted: int = 2
    demo: bool = True
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sensory-audit-deploy-")))
    postgres: TemporaryPostgres = field(default_factory=lambda: TemporaryPostgres("sensory_audit"))
    database_url: str = ""
    proxy_port: int = 0
    instances: list[Instance] = field(default_factory=list)
    nginx: subprocess.Popen[bytes] | None = None
    # `sensory-audit calendar serve`, behind nginx at /calendar/.
    calendar: Instance | None = None
    release_output: str = ""
    # Shared by every instance (Streamlit signs its cookies with it).
    cookie_secret: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def start(self) -> None:
        """Start the database, migrate it once, then the instances and the proxy; stop all on failure."""
        try:
            self.folder.chmod(0o755)  # nginx workers (another user when run as root) read and write here
            self.database_url = self.postgres.start()
            self.release_output = self.release()
            self.instances = [
                Instance(free_port(), self.folder / f"data-{n}", self.folder / f"app-{n}.log")
                for n in range(1, self.instances_wanted + 1)
            ]
            for instance in self.instances:
                instance.data_dir.mkdir()
                self.start_instance(instance, wait=False)
            for instance in self.instances:
                self.wait_healthy(instance)
            self.start_calendar()
            self.start_proxy()
        except BaseException:
            self.stop()
            raise

    def environment(self) -> dict[str, str]:
        env = {**os.environ, "DATABASE_URL": self.database_url, "SENSORY_AUDIT_DEMO": "1" if self.demo else "0"}
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = self.cookie_secret
        env["PYTHONPATH"] = str(ROOT)  # the instances run this checkout, whatever is installed
        return env

    def release(self) -> str:
        """The release step: migrate the schema once (and load the demo portfolio when asked)."""
        steps = [["db", "upgrade"], *([["demo"]] if self.demo else [])]
        said = []
        for step in steps:
            done = subprocess.run(
                [sys.executable, "-c", "import cli; cli.main()", *step],
                cwd=ROOT, env=self.environment(), capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise RuntimeError(f"sensory-audit {' '.join(step)} failed: {done.stderr.strip()}")
            said.append(done.stdout.strip())
        return "\n".join(said)

    def start_instance(self, instance: Instance, *, wait: bool = True) -> None:
        instance.log = open(instance.log_path, "ab")  # noqa: SIM115 - kept open for the instance's life
        env = {**self.environment(), "SENSORY_AUDIT_DATA_DIR": str(instance.data_dir)}
        instance.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(instance.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=instance.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        if wait:
            self.wait_healthy(instance)

    def start_calendar(self) -> None:
        """The calendar server on a free port (it keeps nothing on disk: its folder is for its log)."""
        calendar = Instance(free_port(), self.folder, self.folder / "calendar.log")
        calendar.log = open(calendar.log_path, "ab")  # noqa: SIM115 - kept open for the server's life
        calendar.process = subprocess.Popen(
            [sys.executable, "-c", "import cli; cli.main()", "calendar", "serve", "--host", "127.0.0.1",
             "--port", str(calendar.port)],
            cwd=ROOT, env=self.environment(), stdout=calendar.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.calendar = calendar
        self.wait_healthy(calendar, path="/calendar/health")

    def wait_healthy(self, instance: Instance, timeout: float = 120, path: str = "/_stcore/health") -> None:
        """Wait until the instance answers its readiness check (an app's /_stcore/health)."""
        deadline = time.monotonic() + timeout
        while not healthy(f"{instance.url}{path}"):
            if instance.process is None or instance.process.poll() is not None:
                raise RuntimeError(f"the instance on port {instance.port} ended; see {instance.log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the instance on port {instance.port} did not start; see {instance.log_path}")
            time.sleep(0.2)

    def kill_instance(self, instance: Instance) -> None:
        """Kill an instance at once (SIGKILL to its process group), as a crash would."""
        if instance.process is not None and instance.process.poll() is None:
            os.killpg(instance.process.pid, signal.SIGKILL)
            instance.process.wait(timeout=30)
        if instance.log is not None:
            instance.log.close()
            instance.log = None

    def stop_instance(self, instance: Instance) -> None:
        if instance.process is not None and instance.process.poll() is None:
            os.killpg(instance.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):  # then killed below
                instance.process.wait(timeout=15)
        self.kill_instance(instance)

    def start_proxy(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx not found (install the nginx package; scripts/system-deps does)")
        self.proxy_port = free_port()
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / kind).mkdir(exist_ok=True)
            (self.folder / kind).chmod(0o777)
        conf = self.folder / "nginx.conf"
        calendar_port = self.calendar.port if self.calendar is not None else free_port()
        conf.write_text(
            render_nginx_conf([i.port for i in self.instances], self.proxy_port, self.folder, calendar_port)
        )
        log = open(self.folder / "nginx.out", "ab")  # noqa: SIM115 - closed when nginx has started or failed
        self.nginx = subprocess.Popen(
            [binary, "-p", str(self.folder), "-c", str(conf), "-e", str(self.folder / "error.log"),
             "-g", f"daemon off; pid {self.folder / 'nginx.pid'};"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while not healthy(f"{self.url}/_stcore/health"):
                if self.nginx.poll() is not None or time.monotonic() > deadline:
                    errors = (self.folder / "error.log").read_text(errors="replace")[-800:]
                    raise RuntimeError(f"nginx did not start: {errors}")
                time.sleep(0.1)
        finally:
            log.close()

    def stop(self) -> None:
        """Stop the proxy, the instances and the database, each by its process id; remove the folder."""
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(timeout=5)
        self.nginx = None
        for instance in [*self.instances, *([self.calendar] if self.calendar is not None else [])]:
            self.stop_instance(instance)
        self.calendar = None
        self.postgres.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200 and response.read().strip() == b"ok")
    except OSError:
        return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="deploy/local", description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=2, help="how many app instances (default 2)")
    parser.add_argument(
        "--no-demo", action="store_true", help="an empty store (create the first administrator yourself)"
    )
    args = parser.parse_args(argv)
    if args.instances < 1:
        parser.error("--instances must be 1 or more")
    deployment = LocalDeployment(instances_wanted=args.instances, demo=not args.no_demo)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    print("Starting PostgreSQL, the release step, the app instances and nginx…", flush=True)
    deployment.start()
    try:
        print(deployment.release_output)
        print(f"PostgreSQL:  {deployment.database_url}")
        for instance in deployment.instances:
            print(f"Instance:    {instance.url}  (log {instance.log_path})")
        if deployment.calendar is not None:
            print(f"Calendars:   {deployment.url}/calendar/  (log {deployment.calendar.log_path})")
        print(f"nginx logs:  {deployment.folder}/access.log, error.log")
        if not deployment.demo:
            print(
                f"Create the first administrator: DATABASE_URL={deployment.database_url} "
                "sensory-audit users create-admin --email … --name …"
            )
        print(f"\nOpen {deployment.url}  (Ctrl-C stops everything and deletes its data)", flush=True)
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        print("Stopping…", flush=True)
        deployment.stop()


if __name__ == "__main__":
    main()
