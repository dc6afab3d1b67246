"""Loopback-only network guard for the benchmark's pipeline runs, with a record of what it refused.

bench/e2e.py puts this folder first on the PYTHONPATH of the pipeline process. It installs the
test suite's guard (tests/_netguard/netguard.py: any connection or name lookup that is not
loopback raises before a packet is sent) and appends a line to the file named by $BENCH_NETLOG
when it is installed and for every operation it refused, so the benchmark can report both.
"""

import os
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "_netguard"))
import netguard

netguard.install()
_LOG = os.environ.get("BENCH_NETLOG")


def _record(line: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {line}\n")


def _recording(fn, kind: str):
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except netguard.NonLoopbackTraffic as exc:
            _record(f"blocked {kind}: {exc}")
            raise
        except socket.gaierror as exc:
            if "blocked in tests" in str(exc):
                _record(f"blocked {kind}: {exc}")
            raise

    return wrapper


socket.socket.connect = _recording(socket.socket.connect, "connect")
socket.socket.connect_ex = _recording(socket.socket.connect_ex, "connect_ex")
socket.socket.sendto = _recording(socket.socket.sendto, "sendto")
socket.getaddrinfo = _recording(socket.getaddrinfo, "getaddrinfo")
_record("installed")
