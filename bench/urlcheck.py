"""Link-checker benchmark: 1,000 URLs over 50 loopback hosts, 100 ms per response.

    python -m bench.urlcheck [--urls 1000] [--hosts 50] [--latency 0.1] [--linkchecker-cap 300] [--evidence]

One asyncio server listens on 127.0.0.10 ... 127.0.0.59 (one port each) and answers every
request after ``latency`` seconds with a small HTML page (HTTP/1.1, keep-alive). Each run is
compared with the ideal implied by the per-host limit and interval:

    ideal = max over hosts of max((n - 1) * interval + latency, ceil(n / limit) * latency)

(n URLs on the host, one request per URL; the interval is between the starts of two checks of a
host.) ``linkchecker`` checks the same URL list in the same run. Every process runs behind the
test suite's loopback-only network guard, so nothing leaves 127.0.0.0/8.

``--evidence`` serves a news article of about 9 KB instead of the small page and adds runs with
the page text on (each body read whole, its main text extracted with trafilatura and kept in a
page store), and measures what that costs per page next to the fetch.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import multiprocessing
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "_netguard"
sys.path.insert(0, str(GUARD))
import netguard  # noqa: E402

netguard.install()

from pipeline.core.models import Claim, Status  # noqa: E402
from pipeline.core.settings import UrlCheckSettings  # noqa: E402
from pipeline.core.urlcheck import UrlChecker, check_urls  # noqa: E402
from pipeline.core.urlcheck.evidence import assess  # noqa: E402
from pipeline.core.urlcheck.pagetext import PageStore, extract_page  # noqa: E402


def article(path: str) -> bytes:
    """A news page of about 9 KB: navigation, an article of distinct paragraphs, a footer."""
    paras = "".join(
        f"<p>Paragraph {i} of {path}: trade between Iran and Turkey reached ${i * 37} million in 2023, "
        f"up {i + 3}% on the year, officials in Ankara and Tehran said on Tuesday, as delegations met "
        f"again to discuss border crossings, energy and transport corridors.</p>"
        for i in range(30)
    )
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(40))
    return (
        f"<html><head><title>Page {path}</title></head><body><nav><ul>{nav}</ul></nav>"
        f"<article><h1>{path}</h1>{paras}</article><footer>© Site · Cookies · Privacy</footer></body></html>"
    ).encode()


@dataclass
class Stats:
    """What the server saw."""

    methods: Counter = field(default_factory=Counter)
    in_flight: Counter = field(default_factory=Counter)
    max_in_flight: Counter = field(default_factory=Counter)
    first_seen: dict[str, float] = field(default_factory=dict)  # path -> first arrival


class LoopbackSite:
    """One asyncio server in its own process (so it never competes with the client for the GIL),
    listening on many loopback addresses. ``stats`` and ``reset`` talk to it over a pipe."""

    def __init__(self, hosts: list[str], latency: float, articles: bool = False) -> None:
        self.hosts, self.latency, self.articles = hosts, latency, articles
        self.ports: dict[str, int] = {}
        self._conn, child = multiprocessing.get_context("fork").Pipe()
        self._proc = multiprocessing.get_context("fork").Process(
            target=self._child, args=(child,), daemon=True
        )

    def __enter__(self) -> LoopbackSite:
        self._proc.start()
        self.ports = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._proc.join(5)
        if self._proc.is_alive():
            self._proc.kill()

    def reset(self) -> None:
        self._conn.send("reset")
        self._conn.recv()

    @property
    def stats(self) -> Stats:
        self._conn.send("stats")
        return self._conn.recv()

    # --- in the server process ---------------------------------------------------------------

    def _child(self, conn: Any) -> None:
        self._stats = Stats()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        ports = {}
        for host in self.hosts:
            server = loop.run_until_complete(asyncio.start_server(self._serve, host, 0, backlog=256))
            ports[host] = server.sockets[0].getsockname()[1]
        conn.send(ports)

        def snapshot(command: str, reply: queue.SimpleQueue) -> None:
            if command == "reset":
                self._stats = Stats()
            reply.put(self._stats if command == "stats" else "ok")

        def control() -> None:
            while True:
                command = conn.recv()
                if command == "stop":
                    loop.call_soon_threadsafe(loop.stop)
                    return
                reply: queue.SimpleQueue = queue.SimpleQueue()
                loop.call_soon_threadsafe(snapshot, command, reply)  # the loop owns the stats
                conn.send(reply.get())

        threading.Thread(target=control, daemon=True).start()
        loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                stats = self._stats
                method, path = head.split(b" ", 2)[:2]
                method_s, path_s = method.decode(), path.decode()
                stats.methods[method_s] += 1
                stats.first_seen.setdefault(path_s, time.monotonic())
                flying = stats.in_flight[host] = stats.in_flight[host] + 1
                stats.max_in_flight[host] = max(stats.max_in_flight[host], flying)
                await asyncio.sleep(self.latency)
                stats.in_flight[host] -= 1
                if path_s == "/robots.txt":
                    status, body = b"404 Not Found", b"not here"
                else:
                    status = b"200 OK"
                    if self.articles:
                        body = article(path_s)
                    else:
                        body = (
                            f"<html><head><title>Page {path_s}</title></head><body><h1>{path_s}</h1>".encode()
                        )
                        body += b"<p>" + b"x" * 2000 + b"</p></body></html>"
                head = b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n"
                head += b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
                writer.write(head + (b"" if method == b"HEAD" else body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def urls(self, total: int) -> list[str]:
        """``total`` distinct URLs, spread evenly over the hosts, interleaved."""
        return [
            f"http://{self.hosts[i % len(self.hosts)]}:{self.ports[self.hosts[i % len(self.hosts)]]}/doc/{i}"
            for i in range(total)
        ]


def ideal_seconds(urls: list[str], limit: int, interval: float, latency: float) -> float:
    per_host = Counter(u.split("/")[2] for u in urls)
    return max(max((n - 1) * interval + latency, math.ceil(n / limit) * latency) for n in per_host.values())


def min_start_gap(stats: Stats, urls: list[str]) -> float:
    """Smallest gap between the first requests of two URLs of one host, as the server saw them."""
    by_host: dict[str, list[float]] = {}
    for url in urls:
        host, path = url.split("/")[2], "/" + url.split("/", 3)[3]
        if path in stats.first_seen:
            by_host.setdefault(host, []).append(stats.first_seen[path])
    gaps = [b - a for times in by_host.values() for a, b in itertools.pairwise(sorted(times))]
    return min(gaps) if gaps else float("nan")


def run_ours(
    site: LoopbackSite, urls: list[str], limit: int, interval: float, workers: int, evidence: bool = False
) -> dict:
    site.reset()
    settings = UrlCheckSettings(
        per_host_limit=limit,
        per_host_interval=interval,
        workers=workers,
        archive_lookup=False,
        allow_private=["127.0.0.0/8"],
    )
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        checker = UrlChecker(settings, pages=PageStore(Path(tmp) / "pages") if evidence else None)
        report = check_urls(urls, checker)
        wall = time.monotonic() - started
        texts = sum(1 for c in report.checks.values() if c.content_hash)
    if evidence:
        assert texts == len(urls), texts
    statuses = Counter(c.status.value for c in report.checks.values())
    assert statuses == {Status.OK.value: len(urls)}, statuses
    stats = site.stats
    return {
        "wall": wall,
        "requests": dict(stats.methods),
        "max_in_flight": max(stats.max_in_flight.values()),
        "min_gap": min_start_gap(stats, urls),
        "client_gap": min(b - a for g in checker.gates() for a, b in itertools.pairwise(g.starts)),
        "pages_fetched": len([p for p in stats.first_seen if p.startswith("/doc/")]),
        "statuses": dict(statuses),
    }


def _shared_worker(urls: list[str], settings: UrlCheckSettings, store: str, barrier: Any, out: Any) -> None:
    from pipeline.core.urlcheck.limiter import SharedLimits

    checker = UrlChecker(settings, limits=SharedLimits(store))
    barrier.wait(timeout=120)
    report = check_urls(urls, checker)
    statuses = Counter(c.status.value for c in report.checks.values())
    out.put((dict(statuses), [(g.host, t) for g in checker.gates() for t in g.starts]))


def run_shared(
    site: LoopbackSite, urls: list[str], limit: int, interval: float, workers: int, processes: int
) -> dict:
    """The URLs dealt round-robin to ``processes`` forked processes (so every process has URLs on
    every host), each with its own scheduler and ``workers`` threads, all sharing one SQLite store
    of per-host limits (as the workers of ``python -m pipeline run --workers N`` do)."""
    site.reset()
    settings = UrlCheckSettings(
        per_host_limit=limit,
        per_host_interval=interval,
        workers=workers,
        archive_lookup=False,
        allow_private=["127.0.0.0/8"],
    )
    ctx = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as tmp:
        barrier, out = ctx.Barrier(processes + 1), ctx.Queue()
        parts = [urls[i::processes] for i in range(processes)]
        procs = [
            ctx.Process(
                target=_shared_worker, args=(part, settings, f"{tmp}/host_limits.sqlite", barrier, out)
            )
            for part in parts
        ]
        for proc in procs:
            proc.start()
        barrier.wait(timeout=120)
        started = time.monotonic()
        results = [out.get(timeout=600) for _ in procs]
        wall = time.monotonic() - started
        for proc in procs:
            proc.join(timeout=60)
    statuses: Counter[str] = Counter()
    starts: dict[str, list[float]] = {}
    for counts, sent in results:
        statuses.update(counts)
        for host, at in sent:
            starts.setdefault(host, []).append(at)
    assert statuses == {Status.OK.value: len(urls)}, statuses
    stats = site.stats
    return {
        "wall": wall,
        "requests": dict(stats.methods),
        "max_in_flight": max(stats.max_in_flight.values()),
        "min_gap": min_start_gap(stats, urls),
        # the starts the processes' gates recorded, merged per host (one monotonic clock)
        "client_gap": min(b - a for t in starts.values() for a, b in itertools.pairwise(sorted(t))),
        "pages_fetched": len([p for p in stats.first_seen if p.startswith("/doc/")]),
        "statuses": dict(statuses),
    }


def evidence_cost(n: int = 200) -> dict:
    """CPU per page of what evidence adds: main text extraction, and one claim looked for in it."""
    pages = [article(f"/doc/{i}").decode() for i in range(n)]
    started = time.process_time()
    texts = [extract_page(p) for p in pages]
    extract = (time.process_time() - started) / n
    claim = Claim(
        claim_id="c",
        text="Trade between Iran and Turkey reached $74 million in 2023, up 5% on the year.",
        page=1,
        paragraph=0,
        sentence=0,
    )
    started = time.process_time()
    for t in texts:
        assert t is not None
        assess(claim, t)
    look = (time.process_time() - started) / n
    return {"extract_ms": extract * 1000, "assess_ms": look * 1000}


def run_linkchecker(
    site: LoopbackSite, urls: list[str], rate: float | None, threads: int, cap: float
) -> dict | None:
    exe = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    if not Path(exe).exists():
        print("linkchecker is not installed (pip install linkchecker); skipped", file=sys.stderr)
        return None
    site.reset()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "linkcheckerrc"
        lines = ["[checking]", f"threads={threads}", "recursionlevel=0", f"maxrunseconds={int(cap)}"]
        if rate is not None:
            lines.append(f"maxrequestspersecond={rate}")
        config.write_text("\n".join(lines) + "\n[output]\nstatus=0\n", encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(GUARD), str(ROOT)]), HOME=tmp)
        started = time.monotonic()
        proc = subprocess.run(
            [exe, "-f", str(config), "--no-warnings", "--stdin"],
            input="\n".join(urls) + "\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=cap + 120,
        )
        wall = time.monotonic() - started
    summary = re.search(r"(\d+) links? in (\d+) URLs? checked", proc.stdout)
    errors = re.search(r"(\d+) errors? found", proc.stdout)
    checked = int(summary.group(2)) if summary else None
    stats = site.stats
    return {
        "wall": wall,
        "checked": checked,
        "errors": int(errors.group(1)) if errors else None,
        "requests": dict(stats.methods),
        "pages_fetched": len([p for p in stats.first_seen if p.startswith("/doc/")]),
        "max_in_flight": max(stats.max_in_flight.values(), default=0),
        "min_gap": min_start_gap(stats, urls),
        "exit": proc.returncode,
        "tail": proc.stdout.strip().splitlines()[-3:] + proc.stderr.strip().splitlines()[-3:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.urlcheck", description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--linkchecker-cap", type=float, default=300, help="seconds linkchecker may run")
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--evidence", action="store_true", help="article pages; runs with page text on")
    parser.add_argument(
        "--processes",
        type=int,
        nargs="*",
        default=[],
        metavar="P",
        help="also run the defaults in P processes sharing the per-host limits (e.g. --processes 1 2 4)",
    )
    args = parser.parse_args(argv)
    hosts = [f"127.0.0.{10 + i}" for i in range(args.hosts)]
    defaults = UrlCheckSettings()
    rows = []
    with LoopbackSite(hosts, args.latency, articles=args.evidence) as site:
        urls = site.urls(args.urls)
        # 1. Polite defaults: 2 in flight and 1 s between checks per host; linkchecker at 1 request/s.
        limit, interval = defaults.per_host_limit, defaults.per_host_interval
        ideal = ideal_seconds(urls, limit, interval, args.latency)
        ours = run_ours(site, urls, limit, interval, defaults.workers)
        rows.append(("ours, defaults (limit 2, 1 s, 16 workers)", ideal, ours))
        if args.evidence:
            ours = run_ours(site, urls, limit, interval, defaults.workers, evidence=True)
            rows.append(("ours, defaults, evidence on", ideal, ours))
        for processes in args.processes:
            shared = run_shared(site, urls, limit, interval, defaults.workers, processes)
            rows.append((f"ours, defaults, {processes} process(es), shared limits", ideal, shared))
        if not args.skip_linkchecker:
            lc = run_linkchecker(site, urls, 1, defaults.workers, args.linkchecker_cap)
            if lc:
                rows.append(("linkchecker, maxrequestspersecond=1, 16 threads", ideal, lc))
        # 2. Faster hosts: 0.1 s between checks, about linkchecker's default of 10 requests/s.
        interval = 0.1
        ideal = ideal_seconds(urls, limit, interval, args.latency)
        ours = run_ours(site, urls, limit, interval, 100)
        rows.append(("ours, limit 2, 0.1 s, 100 workers", ideal, ours))
        if args.evidence:
            ours = run_ours(site, urls, limit, interval, 100, evidence=True)
            rows.append(("ours, limit 2, 0.1 s, 100 workers, evidence on", ideal, ours))
        if not args.skip_linkchecker:
            lc = run_linkchecker(site, urls, None, 10, args.linkchecker_cap)
            if lc:
                rows.append(("linkchecker, defaults (10 requests/s, 10 threads)", ideal, lc))
            lc = run_linkchecker(site, urls, None, 100, args.linkchecker_cap)
            if lc:
                rows.append(("linkchecker, defaults, 100 threads", ideal, lc))

    print(f"{args.urls} URLs over {args.hosts} loopback hosts, {args.latency * 1000:.0f} ms per response")
    print(
        f"{'run':52} {'wall s':>8} {'ideal s':>8} {'ratio':>6} {'URLs':>5} {'pages':>5} {'max/host':>8}"
        f" {'min gap':>8} {'sent gap':>8}  requests"
    )
    for name, ideal, r in rows:
        done = r.get("checked", args.urls)
        done = "?" if done is None else done
        sent = r.get("client_gap", float("nan"))  # linkchecker's sends are not visible to us
        print(
            f"{name:52} {r['wall']:8.1f} {ideal:8.1f} {r['wall'] / ideal:6.2f} {done:>5}"
            f" {r['pages_fetched']:>5} {r['max_in_flight']:>8} {r['min_gap']:8.2f} {sent:8.3f}"
            f"  {r['requests']}"
        )
        if "tail" in r and (r["exit"] not in (0, 1) or r["checked"] != args.urls):
            print("    linkchecker:", " | ".join(r["tail"]))
    if args.evidence:
        cost = evidence_cost()
        print(
            f"evidence per page (CPU, one thread): main text {cost['extract_ms']:.1f} ms, one claim looked "
            f"for {cost['assess_ms']:.1f} ms; the fetch waits {args.latency * 1000:.0f} ms per request"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
