"""A throw-away PostgreSQL cluster for the load harness (never the shared one on 5432).

``Cluster(port=55432)`` runs ``initdb`` into a temporary folder, starts the server on 127.0.0.1 with
``pg_ctl`` and removes everything on ``stop()``. PostgreSQL refuses to run as root, so when the harness is
root the server runs as the ``postgres`` system user (``runuser -u postgres``), which then owns the folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

#: Settings for a 2-core machine serving a few gunicorn workers (each holds a small pool).
SETTINGS = {
    "max_connections": "200",
    "shared_buffers": "512MB",
    "effective_cache_size": "2GB",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "random_page_cost": "1.1",
    "max_wal_size": "2GB",
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "log_min_messages": "warning",
    "logging_collector": "off",
}


def pg_bin() -> Path:
    """The newest /usr/lib/postgresql/<major>/bin that has initdb."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise SystemExit("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


class Cluster:
    def __init__(self, port: int = 55432, user: str | None = None, root: Path | None = None):
        if port == 5432:
            raise SystemExit("the harness never touches the shared cluster on 5432")
        self.port = port
        self.bin = pg_bin()
        self.run_as = user or ("postgres" if os.geteuid() == 0 else None)
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)
        self.root = root or Path(tempfile.mkdtemp(prefix="panjereh-load-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.url = f"postgresql://postgres@127.0.0.1:{port}/load"

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *cmd] if self.run_as else cmd

    def _run(self, *args: str) -> None:
        subprocess.run(self._cmd(*args), check=True, stdout=subprocess.DEVNULL)

    @property
    def exists(self) -> bool:
        """Whether ``root`` already holds an initialised cluster (a kept ``--data-dir``)."""
        return (self.data / "PG_VERSION").exists()

    def init(self) -> Cluster:
        if self.run_as:
            pw = pwd.getpwnam(self.run_as)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        with open(self.data / "postgresql.conf", "a") as fh:
            for key, value in {**SETTINGS, "port": str(self.port)}.items():
                fh.write(f"{key} = {value}\n")
        return self

    def start(self, wait: float = 60.0) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(int(wait)), "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, mode: str = "immediate") -> float:
        """Stop (``immediate``: like a crash, recovery replays the WAL) and start again; the seconds it took."""
        t0 = time.monotonic()
        self.stop(mode)
        self.start()
        return time.monotonic() - t0

    def createdb(self, name: str = "load") -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def psql(self, sql: str, db: str = "load") -> str:
        out = subprocess.run(self._cmd("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                                       "-d", db, "-X", "-q", "-A", "-t", "-c", sql),
                             check=True, capture_output=True, text=True)
        return out.stdout

    def destroy(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
