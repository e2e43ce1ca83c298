"""A Python process that a local run's driver starts beside its JVM: it builds the Extractor while the JVM starts,
then becomes the run's Python daemon (a "zygote": one process that loads once and forks the workers).

Without it the two waits add up: the JVM starts (seconds; more under load), and only when its first task needs a
Python worker does it launch the daemon (daemon.py), which spends seconds more loading spaCy, the lexicons and
the gazetteer before the first task runs. The driver starts this process first, so the Extractor loads while the
JVM starts. When the JVM launches the daemon, the daemon hands this process its standard streams (the pipes the
JVM reads the daemon's port from and sends its requests on), its environment and its arguments over a Unix socket
(file descriptors passed with SCM_RIGHTS), and this process runs pyspark's daemon on them: the JVM talks to it as
to the process it launched, which waits for it and passes the JVM's SIGTERM on. The socket lies in a folder only
this user can open. Unclaimed (a run that fails before its first task), the process ends when the driver closes
its stdin; anything that fails in the hand-over leaves the launched daemon to work as without it.
"""
from __future__ import annotations

import gc
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Optional

ZYGOTE_ENV = "SITREP_SPARK_ZYGOTE"      # the socket, in the daemon's environment
CONNECT_TIMEOUT = 10                    # seconds to reach the zygote's socket
MAX_MESSAGE = 1 << 20                   # the daemon's environment and arguments, as JSON


@dataclass(frozen=True)
class Zygote:
    """The driver's handle on its zygote process."""

    proc: subprocess.Popen
    socket_path: str
    folder: str


def start_zygote(options_json: str) -> Optional[Zygote]:
    """Start the zygote for a run with these options (daemon.options_json); None when it cannot start (the run
    goes on without it)."""
    from .daemon import OPTIONS_ENV

    folder = tempfile.mkdtemp(prefix="sitrep-spark-")      # mode 0700: only this user reaches the socket
    path = os.path.join(folder, "daemon.sock")
    # pyspark starts its workers with PYTHONHASHSEED 0 unless the driver has one: the same here, as a Python
    # process takes its hash seed when it starts
    env = dict(os.environ, PYTHONHASHSEED=os.environ.get("PYTHONHASHSEED", "0"), **{OPTIONS_ENV: options_json})
    try:
        # a process group of its own: a Ctrl-C in the terminal reaches the driver, which ends the run
        proc = subprocess.Popen([sys.executable, "-m", __name__, path], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, env=env, process_group=0)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return Zygote(proc, path, folder)


def stop_zygote(zygote: Zygote, wait: float = 30) -> None:
    """After the run's session stopped: end the zygote with a SIGTERM, the JVM's way of stopping its daemon
    (claimed, pyspark's daemon ends its workers and itself; unclaimed, it just ends)."""
    try:
        zygote.proc.stdin.close()
    except OSError:
        pass
    zygote.proc.terminate()
    try:
        zygote.proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        zygote.proc.kill()
        zygote.proc.wait()
    shutil.rmtree(zygote.folder, ignore_errors=True)


def hand_over(path: str) -> Optional[int]:
    """In the daemon the JVM launched: give the zygote at `path` this process's streams, environment and
    arguments; its pid once it has taken them, None when it cannot be reached (then this process is the
    daemon itself)."""
    message = json.dumps({"environ": dict(os.environ), "args": sys.argv[1:], "cwd": os.getcwd()}).encode()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        conn.settimeout(CONNECT_TIMEOUT)
        conn.connect(path)
        socket.send_fds(conn, [message], [0, 1, 2])
        # The zygote answers once its Extractor is built, however long that takes under load; a zygote that dies
        # first closes the connection, and its copies of the streams with it: then this process serves instead.
        conn.settimeout(None)
        return int(conn.recv(64))
    except (OSError, ValueError):
        return None
    finally:
        conn.close()


def wait_for(pid: int) -> None:
    """In the launched daemon, once the zygote serves: pass the JVM's SIGTERM (how it stops its daemon) on, and
    end when the zygote ends."""
    signal.signal(signal.SIGTERM, lambda _n, _f: os.kill(pid, signal.SIGTERM))
    try:
        handle = os.pidfd_open(pid)
    except OSError:
        return                          # already gone
    select.select([handle], [], [])     # readable when the process has ended
    os.close(handle)


def serve(path: str) -> None:
    """The zygote: build the Extractor, wait for the daemon's hand-over (or for the driver to give up), then run
    pyspark's daemon on the streams handed over."""
    from .daemon import preload

    # Listening first: a daemon that arrives while the Extractor still loads is connected, and waits for it.
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(1)
    try:
        preload(os.environ)
    except Exception as exc:  # noqa: BLE001 - the workers build their own and report what fails, per task
        print(f"sitrep.spark.zygote: the Extractor was not built ahead: {exc}", file=sys.stderr)
    gc.freeze()                         # see daemon.py: what is loaded now lives as long as the workers
    while True:
        ready, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in ready and not os.read(0, 1):
            return                      # the driver closed our stdin: the run ended without a daemon
        if listener in ready:
            break
    conn, _ = listener.accept()
    listener.close()
    message, fds, _flags, _addr = socket.recv_fds(conn, MAX_MESSAGE, 3)
    handed = json.loads(message)
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(handed["environ"])
    sys.argv[1:] = handed["args"]
    os.chdir(handed["cwd"])
    conn.sendall(str(os.getpid()).encode())
    conn.close()
    from pyspark.daemon import manager

    manager()


if __name__ == "__main__":
    serve(sys.argv[1])
