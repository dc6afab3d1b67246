"""Per-host limits shared across processes (``core.urlcheck.limiter``), shown on a real loopback
server that counts the requests in flight per host itself."""

import multiprocessing
import os
import time

from pipeline.core.urlcheck import UrlChecker, check_urls
from pipeline.core.urlcheck.limiter import SharedLimits
from tests.core.urlcheck.counting import counting_server
from tests.core.urlcheck.servers import NAMES, mapping_resolver, settings

LIMIT, INTERVAL, DELAY, PROCESSES, PER_HOST = 1, 0.15, 0.2, 3, 4


def _check_in_process(urls: list[str], limits: str | None, barrier, results) -> None:
    checker = UrlChecker(
        settings(per_host_limit=LIMIT, per_host_interval=INTERVAL),
        resolver=mapping_resolver(NAMES),
        limits=SharedLimits(limits) if limits else None,
    )
    barrier.wait(timeout=60)  # every process starts checking at once
    report = check_urls(urls, checker)
    results.put(sorted(c.status.value for c in report.checks.values()))


def _run_processes(port: int, limits: str | None) -> list[list[str]]:
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = []
    for p in range(PROCESSES):
        urls = [f"http://{host}:{port}/p{p}/{i}" for host in ("a.test", "b.test") for i in range(PER_HOST)]
        procs.append(ctx.Process(target=_check_in_process, args=(urls, limits, barrier, results)))
    for proc in procs:
        proc.start()
    statuses = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
        assert proc.exitcode == 0
    return statuses


def test_processes_sharing_the_limits_never_exceed_them_at_the_server(tmp_path):
    with counting_server(delay=DELAY) as (port, counts):
        statuses = _run_processes(port, str(tmp_path / "host_limits.sqlite"))
    assert statuses == [["ok"] * (2 * PER_HOST)] * PROCESSES
    for host in ("a.test", "b.test"):
        assert counts.max_in_flight[host] == LIMIT
        assert len({path for _, path, _ in counts.arrivals[host]}) == PROCESSES * PER_HOST
        # starts of checks of one host are the interval apart whichever process sent them (the
        # server's view; a loaded machine can make an arrival look up to a little early)
        assert counts.min_gap(host) >= INTERVAL * 0.6
    # and the processes did check at the same time: their spans (over both hosts) overlap
    spans = [[counts.span(host, f"/p{p}/") for host in ("a.test", "b.test")] for p in range(PROCESSES)]
    first, last = [min(a for a, _ in s) for s in spans], [max(b for _, b in s) for s in spans]
    assert max(first) < min(last)


def test_processes_with_their_own_limits_each_send_up_to_the_limit(tmp_path):
    """The contrast: per-process gates let N processes send N times the limit to one host."""
    with counting_server(delay=DELAY) as (port, counts):
        _run_processes(port, None)
    assert max(counts.max_in_flight.values()) > LIMIT


def _hold_a_slot_and_die(path: str) -> None:
    gate = SharedLimits(path).gate("dead.test", 1, 0.0, 30.0, 60.0)
    assert gate.try_acquire(time.monotonic())
    os._exit(0)  # killed while holding the slot: no release


def test_a_slot_held_by_a_dead_process_is_taken_back(tmp_path):
    path = str(tmp_path / "host_limits.sqlite")
    proc = multiprocessing.get_context("fork").Process(target=_hold_a_slot_and_die, args=(path,))
    proc.start()
    proc.join(timeout=60)
    assert proc.exitcode == 0
    gate = SharedLimits(path).gate("dead.test", 1, 0.0, 30.0, 60.0)
    assert gate.try_acquire(time.monotonic())  # the dead holder's slot was dropped
    assert not gate.try_acquire(time.monotonic() + 1)  # and the limit still holds: ours is held
    gate.release()


def test_retry_after_and_the_interval_hold_for_every_process(tmp_path):
    path = str(tmp_path / "host_limits.sqlite")
    first = SharedLimits(path).gate("slow.test", 2, 0.5, 30.0, 60.0)
    other = SharedLimits(path).gate("slow.test", 2, 0.5, 30.0, 60.0)  # another connection, as another process
    now = time.monotonic()
    assert first.try_acquire(now)
    assert not other.try_acquire(now)  # a free slot, but the interval has not passed
    assert other.try_acquire(now + 0.6)
    first.release()
    other.release()
    first.defer(now + 100, throttled=True)  # Retry-After: 100 s, longer than the cap of 30 s
    later = SharedLimits(path).gate("slow.test", 2, 0.5, 30.0, 60.0)
    assert not later.try_acquire(now + 1)
    assert later.throttled(now + 1)
    assert later.try_acquire(now + 101)
    later.release()
