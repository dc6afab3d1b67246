"""Refuse every network operation that is not loopback, in this process.

Tests may only talk to 127.0.0.0/8. This guard makes that true even when the code under test
is wrong: connecting to any other address, or resolving a name other than ``localhost``
(which would send a packet to the system's DNS server), raises before anything is sent.
It is installed by tests/conftest.py and, for subprocesses the tests start, by the
``sitecustomize`` module in this folder (put on PYTHONPATH by ``guarded_env()``).
"""

import ipaddress
import socket

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto
_real_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class NonLoopbackTraffic(RuntimeError):
    pass


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _check(address: object) -> None:
    if isinstance(address, tuple) and address and _is_loopback(address[0]):
        return
    if isinstance(address, (str, bytes)):  # AF_UNIX paths are local
        return
    raise NonLoopbackTraffic(f"test tried to reach {address!r}: only loopback is allowed in tests")


def _connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address)
    return _real_connect(self, address)


def _connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address)
    return _real_connect_ex(self, address)


def _sendto(self, data, *args):
    address = args[-1]
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address)
    return _real_sendto(self, data, *args)


def _getaddrinfo(host, *args, **kwargs):
    if host is not None and not _is_loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"name lookup of {host!r} blocked in tests (loopback only)")
    return _real_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    socket.socket.sendto = _sendto
    socket.getaddrinfo = _getaddrinfo
