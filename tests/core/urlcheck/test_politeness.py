"""Politeness, proven from the server's side: per-host limit, interval, Retry-After, backoff."""

import itertools
import re
import threading
import time
from email.utils import formatdate

from werkzeug import Request, Response

from pipeline.core.models import Status
from pipeline.core.urlcheck import check_urls
from tests.core.urlcheck.servers import http_server, make_checker

NAMES = {"a.test": "127.0.0.2", "b.test": "127.0.0.2"}


class Recorder:
    """A handler that records when each request arrived and how many were in flight per host."""

    def __init__(self, delay: float = 0.0, content_type: str = "text/plain") -> None:
        self.delay = delay
        self.content_type = content_type
        self.lock = threading.Lock()
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.total = 0
        self.max_total = 0
        self.arrivals: list[tuple[float, str, str, str]] = []  # (time, host, method, path)

    def __call__(self, request: Request) -> Response:
        host = request.host.split(":")[0]
        with self.lock:
            self.arrivals.append((time.monotonic(), host, request.method, request.path))
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.max_in_flight[host] = max(self.max_in_flight.get(host, 0), self.in_flight[host])
            self.total += 1
            self.max_total = max(self.max_total, self.total)
        try:
            time.sleep(self.delay)
            return Response("fine", content_type=self.content_type)
        finally:
            with self.lock:
                self.in_flight[host] -= 1
                self.total -= 1

    def first_request_times(self, host: str) -> list[float]:
        seen, times = set(), []
        for t, h, _, path in self.arrivals:
            if h == host and path not in seen:
                seen.add(path)
                times.append(t)
        return times


def test_never_more_than_the_per_host_limit_in_flight():
    recorder = Recorder(delay=0.3)
    with http_server("127.0.0.2", threaded=True) as srv:
        srv.expect_request("/", method="HEAD").respond_with_handler(recorder)
        srv.expect_request(re.compile("/p/.*")).respond_with_handler(recorder)
        urls = [f"http://{h}:{srv.port}/p/{i}" for h in ("a.test", "b.test") for i in range(8)]
        checker = make_checker(NAMES, per_host_limit=2, per_host_interval=0, workers=8)
        report = check_urls(urls, checker)
    assert {c.status for c in report.checks.values()} == {Status.OK}
    assert len(recorder.arrivals) == 16
    assert recorder.max_in_flight == {"a.test": 2, "b.test": 2}  # the limit, and reached
    assert recorder.max_total == 4  # the two hosts were checked at the same time


def test_starts_to_one_host_are_at_least_the_interval_apart():
    interval = 0.4
    recorder = Recorder()
    with http_server("127.0.0.2", threaded=True) as srv:
        srv.expect_request(re.compile("/p/.*")).respond_with_handler(recorder)
        urls = [f"http://a.test:{srv.port}/p/{i}" for i in range(5)]
        urls += [f"http://b.test:{srv.port}/p/{i}" for i in range(2)]
        checker = make_checker(NAMES, per_host_limit=2, per_host_interval=interval, workers=8)
        check_urls(urls, checker)
    starts = recorder.first_request_times("a.test")
    assert len(starts) == 5
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # 30 ms of slack for the server thread's own scheduling; the span cannot be faked by jitter
    assert min(gaps) >= interval - 0.03, gaps
    assert starts[-1] - starts[0] >= 4 * interval - 0.03
    # the other host did not wait behind a.test
    assert recorder.first_request_times("b.test")[0] - starts[0] < interval


def test_retry_after_is_waited_for_then_the_page_is_checked():
    state = {"n": 0}
    times = []

    def handler(request: Request) -> Response:
        times.append(time.monotonic())
        state["n"] += 1
        if state["n"] == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response("fine", content_type="text/plain")

    with http_server("127.0.0.2") as srv:
        srv.expect_request("/limited").respond_with_handler(handler)
        result = make_checker(retries=2, backoff_cap=5).check_one(srv.url_for("/limited"))
    assert result.status == Status.OK
    assert len(times) == 2
    assert times[1] - times[0] >= 1.0 - 0.03


def test_retry_after_as_an_http_date_is_understood():
    state = {"n": 0}
    times = []

    def handler(request: Request) -> Response:
        times.append(time.monotonic())
        state["n"] += 1
        if state["n"] == 1:
            return Response(
                "later", status=503, headers={"Retry-After": formatdate(time.time() + 2, usegmt=True)}
            )
        return Response("fine", content_type="text/plain")

    with http_server("127.0.0.2") as srv:
        srv.expect_request("/maint").respond_with_handler(handler)
        result = make_checker(retries=1, backoff_cap=5).check_one(srv.url_for("/maint"))
    assert result.status == Status.OK
    assert times[1] - times[0] >= 1.0  # HTTP dates have 1 s resolution: at least 1 of the 2 s


def test_retry_after_holds_back_the_other_urls_of_the_host():
    times: dict[str, list[float]] = {}
    state = {"limited": False}

    def handler(request: Request) -> Response:
        times.setdefault(request.path, []).append(time.monotonic())
        if request.path == "/first" and not state["limited"]:
            state["limited"] = True
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response("fine", content_type="text/plain")

    with http_server("127.0.0.2", threaded=True) as srv:
        srv.expect_request(re.compile("/.*")).respond_with_handler(handler)
        urls = [f"http://a.test:{srv.port}/first", f"http://a.test:{srv.port}/second"]
        checker = make_checker(NAMES, retries=1, per_host_limit=1, per_host_interval=0, backoff_cap=5)
        report = check_urls(urls, checker)
    assert {c.status for c in report.checks.values()} == {Status.OK}
    assert times["/second"][0] - times["/first"][0] >= 1.0 - 0.03


def test_a_host_that_asks_for_more_than_the_cap_is_left_alone_for_the_run():
    hits = []

    def handler(request: Request) -> Response:
        hits.append(request.path)
        return Response("go away", status=429, headers={"Retry-After": "600"})

    with http_server("127.0.0.2") as srv:
        srv.expect_request(re.compile("/.*")).respond_with_handler(handler)
        urls = [f"http://a.test:{srv.port}/{i}" for i in range(4)]
        checker = make_checker(NAMES, retries=2, per_host_limit=1, backoff_cap=2)
        started = time.monotonic()
        report = check_urls(urls, checker)
        elapsed = time.monotonic() - started
    assert {c.status for c in report.checks.values()} == {Status.RATE_LIMITED}
    assert len(hits) == 1  # the other three were not sent at all
    assert all("Retry-After" in c.error for c in report.checks.values())
    assert elapsed < 60  # nowhere near the 600 s asked for


def test_backoff_is_capped():
    times = []

    def handler(request: Request) -> Response:
        times.append(time.monotonic())
        return Response("down", status=503)

    with http_server("127.0.0.2") as srv:
        srv.expect_request("/down").respond_with_handler(handler)
        # uncapped, a backoff factor of 20 would wait 40 s before the second retry
        checker = make_checker(retries=3, backoff_factor=20, backoff_cap=0.3, total_timeout=20)
        result = checker.check_one(srv.url_for("/down"))
    assert result.status == Status.SERVER_ERROR
    assert len(times) == 5  # HEAD, GET, three retries
    assert times[-1] - times[0] < 10


def test_each_distinct_url_is_checked_once_per_run():
    recorder = Recorder()
    with http_server("127.0.0.2", threaded=True) as srv:
        srv.expect_request(re.compile("/p/.*")).respond_with_handler(recorder)
        one, two = f"http://a.test:{srv.port}/p/1", f"http://a.test:{srv.port}/p/2"
        report = check_urls([one, two, one, one, two], make_checker(NAMES))
    assert list(report.checks) == [one, two]
    assert sorted(path for *_, path in recorder.arrivals) == ["/p/1", "/p/2"]  # HEAD each, once


def test_a_thread_never_waits_on_one_host_while_another_is_ready():
    recorder = Recorder()
    with http_server("127.0.0.2") as srv:
        srv.expect_request(re.compile("/p/.*")).respond_with_handler(recorder)
        urls = [f"http://a.test:{srv.port}/p/a{i}" for i in range(3)]
        urls += [f"http://b.test:{srv.port}/p/b{i}" for i in range(3)]
        checker = make_checker(NAMES, per_host_limit=1, per_host_interval=0.3, workers=1)
        check_urls(urls, checker)
    order = [path for *_, path in recorder.arrivals]
    # one worker: b.test is served while a.test waits out its interval, not after all of a.test
    assert order.index("/p/b0") < order.index("/p/a1")
    assert order.index("/p/a1") < order.index("/p/b2")
