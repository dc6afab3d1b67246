"""Many URLs: scheduling, offline and outage detection, history.

Each distinct URL is checked once per run; one checked within the TTL is taken from the history.
URLs that cannot be checked at all are judged without the network. A machine that is offline
(no host resolves), or a run in which the network goes away (no host answering at all), writes
nothing and keeps the last known statuses: our network's failure is not the links'. The
scheduler hands a task to a worker only when its host can take it, so no thread sleeps politely
while another host is ready.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime

from pipeline.core.models import REACHABLE, Status, UrlCheck
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck.archive import NEEDS_ARCHIVE, lookup_archive, raw_snapshot_url, wayback_timestamp
from pipeline.core.urlcheck.fetch import UrlChecker
from pipeline.core.urlcheck.history import History, confirm_dead, is_fresh, with_last_ok
from pipeline.core.urlcheck.pagetext import text_similarity
from pipeline.core.urlcheck.politeness import HostGate, host_of
from pipeline.core.urlcheck.status import Outcome, classify, explain, url_fault

Progress = Callable[[int, int], None]

#: how many distinct hosts the offline probe tries, and how long it waits for any answer
PROBE_HOSTS = 8
PROBE_DEADLINE = 3.0
#: a run in which this many hosts (or more) were tried and none answered at all is an outage
OUTAGE_MIN_HOSTS = 3
_NO_ANSWER = frozenset({Status.DNS_ERROR, Status.CONNECTION_ERROR, Status.TIMEOUT})


@dataclass
class RunReport:
    checks: dict[str, UrlCheck]
    offline: bool = False
    note: str | None = None
    checked: int = 0
    cached: int = 0


@dataclass
class _Task:
    host: str
    kind: str  # "check" or "archive"
    url: str
    run: Callable[[HostGate | None], UrlCheck]


def not_checked(url: str, reason: str) -> UrlCheck:
    """The result for a URL nothing was tried on (offline, an outage, a crash in the checker)."""
    outcome = Outcome(url=url, not_checked=True, error=reason)
    status = classify(outcome)
    return UrlCheck(url=url, status=status, error=explain(status, outcome), checked_at=None)


class _Scheduler:
    """Hands a task to the pool only when its host can take it now, so no thread sleeps politely.

    Each host has a queue. A task is submitted when a worker is free and the host's gate grants
    a slot (free slot and interval passed); the slot is handed to the task. Otherwise the loop
    sleeps until the earliest host is ready or a task finishes.
    """

    def __init__(self, checker: UrlChecker) -> None:
        self.checker = checker
        self.queues: dict[str, deque[_Task]] = {}

    def add(self, task: _Task) -> None:
        self.queues.setdefault(task.host, deque()).append(task)

    def results(self) -> Iterator[tuple[_Task, UrlCheck]]:
        workers = self.checker.settings.workers
        pending: dict[Future[UrlCheck], _Task] = {}
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="urlcheck") as pool:
            while self.queues or pending:
                wake = self._submit_ready(pool, pending, workers)
                if not pending:
                    time.sleep(min(wake if wake is not None else 0.01, 0.5))
                    continue
                done, _ = wait(
                    pending, timeout=None if wake is None else max(0.001, wake), return_when=FIRST_COMPLETED
                )
                for fut in done:
                    task = pending.pop(fut)
                    try:
                        result = fut.result()
                    except Exception as exc:  # a bug in one check must not lose the others
                        result = not_checked(task.url, f"checker failed: {exc!r}")
                    yield task, result

    def _submit_ready(
        self, pool: ThreadPoolExecutor, pending: dict[Future[UrlCheck], _Task], workers: int
    ) -> float | None:
        """Submit every task whose host can take it now; seconds until the next host may be ready."""
        now = time.monotonic()
        wake: float | None = None
        for host in list(self.queues):
            queue = self.queues[host]
            gate = self.checker.gate(host)
            while queue and len(pending) < workers:
                if gate.try_acquire(now):
                    slot: HostGate | None = gate
                elif gate.throttled(now):
                    slot = None  # the task answers rate_limited at once, sending nothing
                else:
                    hint = gate.wait_hint(now)
                    if hint is not None:
                        wake = hint if wake is None else min(wake, hint)
                    break
                task = queue.popleft()
                pending[pool.submit(task.run, slot)] = task
            if not queue:
                del self.queues[host]
            if len(pending) >= workers:
                return None
        return wake


@dataclass
class _Online:
    """What the online part of a run has gathered, and whether its network held."""

    answered: bool = False  # did any server answer at all in this run?
    buffered: list[UrlCheck] = field(default_factory=list)
    #: no answer at the network level: recorded only once we know why
    silent: list[UrlCheck] = field(default_factory=list)
    #: URLs that got no answer after the last answer of the run
    trailing: list[str] = field(default_factory=list)
    done: int = 0


def check_urls(
    urls: Sequence[str],
    checker: UrlChecker,
    history: History | None = None,
    *,
    offline: bool = False,
    progress: Progress | None = None,
    alternatives: Mapping[str, Sequence[str]] | None = None,
    dates: Mapping[str, str | None] | None = None,
) -> RunReport:
    """Check each distinct URL once, skipping those checked within the TTL.

    ``dates``: per URL, the citing document's date (``YYYY[-MM[-DD]]``) for the archive lookup.
    ``alternatives``: other readings of a URL (line-break repairs), tried when it fails.
    """
    unique = list(dict.fromkeys(urls))
    now = checker.clock()
    past = history.rows_for(unique) if history else {}
    report, todo = _from_history(unique, past, now, checker.settings)
    if offline:
        _keep_known(todo, past, report.checks, "not checked: offline mode (--offline)")
        report.offline, report.note = True, "offline mode: no URL was checked; statuses kept"
        return _ordered(report, unique)
    todo = _judge_unusable(todo, checker, history, report)
    if todo and _network_down(todo, checker):
        _keep_known(todo, past, report.checks, "offline: no host could be resolved")
        hosts = len({host_of(u) for u in todo})
        report.offline = True
        report.note = f"offline: none of the {min(hosts, PROBE_HOSTS)} hosts probed resolved; statuses kept"
        return _ordered(report, unique)
    online = _check_online(todo, checker, history, past, report, progress, alternatives or {}, dates)
    _settle(online, checker, history, past, report)
    return _ordered(report, unique)


def _from_history(
    unique: Sequence[str], past: Mapping[str, Sequence[UrlCheck]], now: datetime, s: UrlCheckSettings
) -> tuple[RunReport, list[str]]:
    """The report holding the URLs still fresh in the history, and the URLs left to check."""
    result: dict[str, UrlCheck] = {}
    todo: list[str] = []
    for url in unique:
        prev = past[url][-1] if url in past else None
        if prev is not None and is_fresh(prev, now, s):
            result[url] = prev
        else:
            todo.append(url)
    return RunReport(checks=result, cached=len(result)), todo


def _judge_unusable(
    todo: Sequence[str], checker: UrlChecker, history: History | None, report: RunReport
) -> list[str]:
    """Judge (and record) the URLs that cannot be checked at all; the URLs left for the network."""
    unusable = [checker.check_one(u) for u in todo if url_fault(u) is not None]  # no network needed
    for check in unusable:
        report.checks[check.url] = check
    report.checked = len(unusable)
    if history is not None:
        history.add_many(unusable)
    return [u for u in todo if u not in report.checks]


def _check_task(
    checker: UrlChecker, url: str, alternatives: Sequence[str]
) -> Callable[[HostGate | None], UrlCheck]:
    """Check ``url``; when it fails, try its other readings, and keep the first that answers."""

    def run(slot: HostGate | None) -> UrlCheck:
        check = checker.check_one(url, slot)
        for alt in alternatives:
            if check.status not in (Status.DEAD, Status.DNS_ERROR, Status.SOFT_404):
                break
            second = checker.check_one(alt)
            if second.status in REACHABLE:
                check = second.model_copy(
                    update={"url": url, "final_url": second.final_url or alt, "tried": [url, alt]}
                )
        return check

    return run


def _archive_task(
    checker: UrlChecker, check: UrlCheck, dates: Mapping[str, str | None] | None
) -> Callable[[HostGate | None], UrlCheck]:
    """Look up the snapshot nearest the citing date and add it to the check; with page text on,
    read the snapshot (the evidence of a rotten link, the baseline of a live one)."""

    def run(slot: HostGate | None) -> UrlCheck:
        when = wayback_timestamp((dates or {}).get(check.url))
        snap = lookup_archive(checker, check.url, when, slot)
        found = {"archive_url": snap.url, "archive_timestamp": snap.timestamp, "archive_error": snap.error}
        if snap.url and _reads_pages(checker):
            found |= _snapshot_text(checker, check, snap.url)
        return check.model_copy(update=found)

    return run


def _reads_pages(checker: UrlChecker) -> bool:
    return checker.settings.page_text and checker.pages is not None


def _snapshot_text(checker: UrlChecker, check: UrlCheck, snapshot: str) -> dict[str, object]:
    """The snapshot's text (read through the same polite checker), and the live text against it."""
    raw = raw_snapshot_url(snapshot)
    read = checker.check_one(raw)
    if read.content_hash is None and raw != snapshot:
        # an archive without the raw form (or a mirror of one): the snapshot as the lookup gave it
        read = checker.check_one(snapshot)
    if read.content_hash is None:
        why = read.error or f"{read.status.value}, no text"
        return {"archive_error": f"snapshot could not be read: {why}"[:300]}
    out: dict[str, object] = {"archive_content_hash": read.content_hash}
    pages = checker.pages
    live = pages.load(check.content_hash) if pages is not None else None
    archived = pages.load(read.content_hash) if pages is not None else None
    if live is not None and archived is not None:
        similarity = text_similarity(live.text, archived.text)
        out["content_similarity"] = similarity
        out["content_changed"] = similarity < checker.settings.content_change_threshold
    return out


def _wants_baseline(checker: UrlChecker, check: UrlCheck) -> bool:
    """A live page with text: compare it with its snapshot nearest the citation date (or, with no
    date known, the archive's latest)."""
    return (
        checker.settings.archive_lookup
        and _reads_pages(checker)
        and check.status in (Status.OK, Status.REDIRECTED)
        and check.content_hash is not None
    )


def _check_online(
    todo: Sequence[str],
    checker: UrlChecker,
    history: History | None,
    past: Mapping[str, Sequence[UrlCheck]],
    report: RunReport,
    progress: Progress | None,
    alternatives: Mapping[str, Sequence[str]],
    dates: Mapping[str, str | None] | None,
) -> _Online:
    """Check the URLs through the scheduler (rotten ones then go to the archive), recording as it goes."""
    s = checker.settings
    sched = _Scheduler(checker)
    for url in todo:
        sched.add(_Task(host_of(url), "check", url, _check_task(checker, url, alternatives.get(url, ()))))
    archive_host = host_of(s.wayback_api)
    online = _Online()
    for task, check in sched.results():
        if task.kind == "check":
            if check.http_status is not None:
                online.answered = True
                online.trailing = []
            if (s.archive_lookup and check.status in NEEDS_ARCHIVE) or _wants_baseline(checker, check):
                sched.add(_Task(archive_host, "archive", task.url, _archive_task(checker, check, dates)))
                continue
        _take(online, task.url, check, s, past, report)
        if history is not None and online.answered and len(online.buffered) >= 50:
            # online: write as we go
            history.add_many([c for c in online.buffered if c.status != Status.UNVERIFIED])
            online.buffered = []
        if progress:
            progress(online.done, len(todo))
    return online


def _take(
    online: _Online,
    url: str,
    check: UrlCheck,
    s: UrlCheckSettings,
    past: Mapping[str, Sequence[UrlCheck]],
    report: RunReport,
) -> None:
    """A finished check: confirmed dead and last ok from the history, then held for recording."""
    rows = past.get(url, [])
    if check.checked_at is not None:
        check = confirm_dead(check, rows, s)
        check = with_last_ok(check, rows)
    report.checks[url] = check
    if check.status in _NO_ANSWER:
        online.silent.append(check)
        online.trailing.append(url)
    else:
        online.buffered.append(check)
    online.done += 1
    report.checked += 1


def _settle(
    online: _Online,
    checker: UrlChecker,
    history: History | None,
    past: Mapping[str, Sequence[UrlCheck]],
    report: RunReport,
) -> None:
    """Decide whether the run met an outage, then record what is evidence about the links."""
    outage = _outage(online.silent, online.trailing, online.answered, checker)
    if outage:
        # Our network failed, not the links: keep what was known, record nothing for these.
        _keep_known(sorted(outage), past, report.checks, "outage: the network went away during the run")
        report.offline = True
        hosts = len({host_of(u) for u in outage})
        report.note = (
            f"outage: {len(outage)} URLs on {hosts} hosts got no answer; their statuses kept, not recorded"
        )
    if history is not None:
        keep = online.buffered + [c for c in online.silent if c.url not in outage]
        history.add_many([c for c in keep if c.status != Status.UNVERIFIED])


def _outage(
    silent: Sequence[UrlCheck], trailing: Sequence[str], answered: bool, checker: UrlChecker
) -> set[str]:
    """URLs whose failure was our network's, not the sites': none to keep as evidence.

    Either no host answered all run (and at least OUTAGE_MIN_HOSTS were tried), or every URL
    after the last answer failed at the network level, on several hosts, and no host resolves
    now: the network went away half-way.
    """
    if not answered:
        urls = {c.url for c in silent}
        return urls if len({host_of(u) for u in urls}) >= OUTAGE_MIN_HOSTS else set()
    tail = set(trailing)
    if len({host_of(u) for u in tail}) >= OUTAGE_MIN_HOSTS and _network_down(sorted(tail), checker):
        return tail
    return set()


def _keep_known(
    todo: Sequence[str], past: Mapping[str, Sequence[UrlCheck]], result: dict[str, UrlCheck], reason: str
) -> None:
    """An outage keeps the last known status visible; unknown URLs stay unverified."""
    for url in todo:
        rows = past.get(url)
        prev = rows[-1] if rows else None
        if prev is not None and prev.checked_at is not None:
            result[url] = prev.model_copy(
                update={"error": f"{reason}; showing the check of {prev.checked_at:%Y-%m-%d}"}
            )
        else:
            result[url] = not_checked(url, reason)


def _ordered(report: RunReport, order: Sequence[str]) -> RunReport:
    report.checks = {u: report.checks[u] for u in order if u in report.checks}
    return report


def network_is_down(urls: Sequence[str], settings: UrlCheckSettings | None = None) -> bool:
    """Would a check of these URLs find the machine offline (none of a sample of hosts resolves)?

    The same probe a check makes first, on its own: a caller can learn that the network is
    still down without starting a run that would only say so.
    """
    return _network_down(urls, UrlChecker(settings))


def _network_down(urls: Sequence[str], checker: UrlChecker) -> bool:
    """True when none of a sample of hosts resolves within a few seconds: the machine is offline.

    Some resolvers take 5 s to fail a name, one name after another, so the probe samples a few
    hosts in parallel and stops at the first that resolves (online) or at the deadline.
    """
    hosts = list(dict.fromkeys(host_of(u) for u in urls if url_fault(u) is None))
    hosts = [h for h in hosts if h][:PROBE_HOSTS]
    if not hosts:
        return False
    pool = ThreadPoolExecutor(max_workers=len(hosts), thread_name_prefix="urlprobe")
    try:
        futures = [pool.submit(_resolves, h, checker) for h in hosts]
        deadline = time.monotonic() + PROBE_DEADLINE
        pending = set(futures)
        while pending and time.monotonic() < deadline:
            done, pending = wait(
                pending, timeout=max(0.0, deadline - time.monotonic()), return_when=FIRST_COMPLETED
            )
            if any(f.result() for f in done):
                return False
        return True
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _resolves(host: str, checker: UrlChecker) -> bool:
    try:
        return bool(checker.policy.resolver(host, 443))
    except (OSError, UnicodeError):
        return False


@dataclass
class UrlEntry:
    """One line of a URL list: the URL, and optionally the cited title and date."""

    url: str
    title: str | None = None
    date: str | None = None


def read_url_list(text: str) -> list[UrlEntry]:
    """``URL[<TAB>cited title[<TAB>date]]`` per line; blank lines and ``#`` comments are skipped.

    Lines are kept as written (even when they are not URLs): each becomes a result.
    """
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        url, title, date = ([*line.split("\t")[:3], None, None])[:3]
        entries.append(UrlEntry(url.strip(), (title or "").strip() or None, (date or "").strip() or None))
    return entries
