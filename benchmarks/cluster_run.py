"""Two app servers behind haproxy under load: one killed and restarted, a task worker killed.

    apt-get install haproxy
    .venv/bin/python benchmarks/cluster_run.py [--seconds 75]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other REDIS_URL=redis://127.0.0.1:6379/7 ...

Drops and creates the PostgreSQL database (default cami_cluster), loads the programme and the
demo people (seed_demo) with Mongolia's and Kyrgyzstan's reports accepted and Tajikistan's
submitted, and starts deploy/cluster.py's cluster: two gunicorn instances, haproxy, one task
worker, Redis for the cache, one media and one mail folder under /tmp. First a throttle probe
(the API's anonymous rate counted once across both instances), then, for --seconds:

- readers fetch public pages and API lists, each logged in as a person with no role (who sees
  what the public sees), so that the anonymous throttle, counted per address haproxy saw, stays
  out of the way;
- two focal points of Kazakhstan each edit their own entries through the API (each save from
  the revision the last answer gave) and now and then upload an evidence file;
- a reviewer marks Tajikistan's entries (the review page's form), comments on them (API),
  invites people (an e-mail each) and asks for national PDFs (tasks);
- at +2 s the reviewer asks for the implementation report; once the worker runs it, that worker
  is killed (SIGKILL) and a second worker started, which puts the task back in the queue once
  the killed worker has missed three heartbeats (WORKER_HEARTBEAT); the first comes back later;
- at +20 s app server 1 is killed (SIGKILL, its whole process group), at +35 s started again.

It fails on a violation: a failed request that was not in flight on the killed instance (started
more than --window seconds after the kill, or before it); an edit, comment or upload answered
2xx that is not in the database exactly once, or any write there twice; a task not finished or
run twice (other than the killed one); an e-mail written twice or not at all; a file in the media
folder no row refers to, or a row whose file is missing; a session or upload one instance does
not see.
"""

import argparse
import collections
import os
import random
import shutil
import sys
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.cluster import Cluster  # noqa: E402

PASSWORD = "cami-demo-2026"
PUBLIC = [
    "/", "/activities/", "/activities/12.1/", "/activities/?species=snow-leopard&range_state=KGZ",
    "/sections/", "/conservation-units/", "/conservation-units/western-tian-shan/", "/species/",
    "/species/snow-leopard/", "/range-states/", "/range-states/KAZ/", "/dashboard/",
    "/api/v1/activities/", "/api/v1/sections/", "/api/v1/conservation-units/",
    "/api/v1/species/", "/api/v1/range-states/", "/api/v1/cycles/",
]  # fmt: skip
THROTTLE_RATE = 120  # per minute, anonymous API


class Log:
    """Every request: when it started and ended, what it was, the answer, who served it."""

    def __init__(self):
        self.rows, self.lock = [], threading.Lock()

    def call(self, session, method, url, kind, **kwargs):
        start = time.monotonic()
        try:
            response = session.request(method, url, timeout=60, allow_redirects=False, **kwargs)
            status, served = response.status_code, response.headers.get("X-Served-By", "")
        except requests.RequestException as error:
            response, status, served = None, type(error).__name__, ""
        with self.lock:
            self.rows.append((start, time.monotonic(), kind, status, served))
        return response


def ok(response) -> bool:
    return response is not None and response.status_code < 400


def login(base: str, username: str, log: Log) -> requests.Session:
    session = requests.Session()
    for _attempt in range(20):
        log.call(session, "GET", f"{base}/accounts/login/", "login")
        token = session.cookies.get("csrftoken", "")
        response = log.call(session, "POST", f"{base}/accounts/login/", "login", data={
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})  # fmt: skip
        if response is not None and response.status_code == 302:
            session.headers["X-CSRFToken"] = session.cookies.get("csrftoken", "")
            return session
        time.sleep(0.5)
    sys.exit(f"{username} could not log in")


def setup(cluster: Cluster) -> dict:
    """The people and reports, in this process through the ORM (Django set up on the cluster's
    environment)."""
    import django

    os.environ.update({**cluster.env, "DJANGO_SETTINGS_MODULE": "cami.settings"})
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from conservation_units.models import RangeState
    from reporting import services
    from reporting.choices import Role
    from reporting.management.commands.seed_demo import Command as Demo
    from reporting.models import ReportingCycle, ReportingRole

    settings.DEBUG = True  # seed_demo refuses otherwise; the servers run with DEBUG off
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    demo = Demo()
    cycle = ReportingCycle.objects.get(slug="2026-2028")
    reviewer = ReportingRole.objects.get(user__username="reviewer").user
    demo._user("reader", PASSWORD)  # logged in, no role: sees what the public sees
    for iso3 in ["MNG", "KGZ", "TJK"]:
        person = demo._user(f"{iso3.lower()}-focal", PASSWORD)
        state = RangeState.objects.get(iso3=iso3)
        ReportingRole.objects.update_or_create(
            user=person, defaults={"role": Role.NATIONAL_FOCAL_POINT, "range_state": state}
        )
        if iso3 == "TJK":
            report = services.open_report(cycle=cycle, range_state=person.reporting_role
                                          .range_state, actor=person)  # fmt: skip
            demo._answer(report, person, 1.0)
            services.submit_report(report=report, actor=person)
        else:
            demo._accepted(cycle, person, reviewer)
    kaz = ReportingRole.objects.get(user__username="kaz-focal")
    ReportingRole.objects.update_or_create(
        user=demo._user("kaz-focal-2", PASSWORD),
        defaults={"role": Role.ALTERNATE, "range_state": kaz.range_state},
    )
    kaz_report = cycle.reports.get(range_state__iso3="KAZ")
    tjk_report = cycle.reports.get(range_state__iso3="TJK")
    entries = list(kaz_report.entries.order_by("pk").values_list("pk", flat=True))
    return {
        "cycle": cycle.pk,
        "kaz_entries": [entries[0:20], entries[20:40]],
        "tjk_report": tjk_report.pk,
        "tjk_entries": list(tjk_report.entries.order_by("pk").values_list("pk", flat=True)[:30]),
        "uzb_version": cycle.reports.get(range_state__iso3="UZB").versions.latest("number").number,
    }


def throttle_probe(cluster: Cluster) -> dict:
    """One address asks THROTTLE_RATE + 10 times; with one count across the instances exactly
    THROTTLE_RATE pass, whichever instance answers."""
    answers, served = collections.Counter(), collections.Counter()
    with requests.Session() as session:
        for _ in range(THROTTLE_RATE + 10):
            response = session.get(f"{cluster.url}/api/v1/species/")
            answers[response.status_code] += 1
            served[response.headers.get("X-Served-By", "")] += 1
    return {"answers": dict(answers), "served by": dict(served)}


def reader(base: str, log: Log, stop: threading.Event) -> None:
    session = login(base, "reader", log)
    paths = PUBLIC[:]
    random.shuffle(paths)
    n = 0
    while not stop.is_set():
        log.call(session, "GET", base + paths[n % len(paths)], "public")
        n += 1


def focal_point(base, log, stop, username, entries, state, evidence, folder: Path) -> None:
    """Saves a unique text on its entries in turn; a save whose answer never came is 'unknown'
    (it may or may not be in the database) and the entry is read again before the next."""
    session = login(base, username, log)
    revision = {}
    n = 0
    while not stop.is_set():
        entry = entries[n % len(entries)]
        if entry not in revision:
            response = log.call(session, "GET", f"{base}/api/v1/entries/{entry}/", "entry read")
            if not ok(response):
                time.sleep(0.2)
                continue
            revision[entry] = response.json()["revision"]
        marker = f"{username} save {n} on {entry}"
        response = log.call(session, "PATCH", f"{base}/api/v1/entries/{entry}/", "entry save",
                            json={"narrative": marker, "revision": revision[entry]})  # fmt: skip
        if ok(response):
            state["acked"].append((entry, marker))
            revision[entry] = response.json()["revision"]
        else:
            state["unknown" if response is None or response.status_code >= 500
                  else "refused"].append((entry, marker))  # fmt: skip
            revision.pop(entry)
        if n % 15 == 7:
            content = b"%PDF-1.4\n% " + marker.encode() + b"\n%%EOF\n"
            response = log.call(session, "POST", f"{base}/api/v1/evidence/", "evidence upload",
                                data={"entry": entry, "title": marker},
                                files={"file": (f"evidence-{n}.pdf", content,
                                                "application/pdf")})  # fmt: skip
            if ok(response):
                evidence["acked"].append((response.json()["id"], marker, content))
            else:
                evidence["failed"].append((marker, getattr(response, "status_code", None)))
        n += 1
    state["session"] = session


def reviewer(base, log, stop, ids, state) -> None:
    session = login(base, "reviewer", log)
    review_url = f"{base}/reporting/2026-2028/TJK/review/entries"
    pdf_variants = [(variant, language) for language in ("en", "ru")
                    for variant in ("complete", "answered")]  # fmt: skip
    n = 0
    while not stop.is_set():
        entry = ids["tjk_entries"][n % len(ids["tjk_entries"])]
        marker = f"reviewer note {n} on {entry}"
        if n % 2:
            response = log.call(session, "POST", f"{review_url}/{entry}/", "review mark", data={
                "verdict": "fine", "comment": marker,
                "csrfmiddlewaretoken": session.headers["X-CSRFToken"]})  # fmt: skip
            key = "marks"
        else:
            response = log.call(session, "POST", f"{base}/api/v1/comments/", "comment", json={
                "report": ids["tjk_report"], "entry": entry, "text": marker})  # fmt: skip
            key = "comments"
        state[key]["acked" if ok(response) else "unknown"].append((entry, marker))
        if n % 10 == 3:
            email = f"invited-{n}@example.org"
            response = log.call(session, "POST", f"{base}/review/people/", "invitation", data={
                "action": "invite", "range_state": "MNG", "role": "contributor", "email": email,
                "csrfmiddlewaretoken": session.headers["X-CSRFToken"]})  # fmt: skip
            state["invitations"]["acked" if ok(response) else "unknown"].append(email)
        if n % 10 == 8 and pdf_variants:
            variant, language = pdf_variants.pop()
            log.call(session, "GET", f"{base}/reporting/2026-2028/UZB/versions/"
                     f"{ids['uzb_version']}/{variant}.pdf", "national pdf",
                     cookies={"django_language": language})  # fmt: skip
        n += 1
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=75)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--kill-app-at", type=float, default=20)
    parser.add_argument("--restart-app-at", type=float, default=35)
    parser.add_argument("--window", type=float, default=5,
                        help="failures may start up to this long after the kill")  # fmt: skip
    parser.add_argument("--folder", type=Path, default=Path("/tmp/cami-cluster-run"))
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL",
                                  "postgres://postgres@127.0.0.1:5432/cami_cluster")  # fmt: skip
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    _fresh_database(database_url)
    _empty_redis(redis_url)
    shutil.rmtree(args.folder, ignore_errors=True)
    cluster = Cluster(args.folder, database_url, redis_url, workers=2, extra_env={
        "API_ANON_RATE": f"{THROTTLE_RATE}/minute"})  # fmt: skip
    cluster.prepare()
    ids = setup(cluster)
    try:
        cluster.start(workers=1)
        failures = run(cluster, args, ids)
    finally:
        cluster.stop()
    if failures:
        print("\nVIOLATIONS:\n- " + "\n- ".join(failures))
        sys.exit(f"FAILED (logs in {args.folder / 'logs'})")
    print("\nOK")


def run(cluster: Cluster, args, ids: dict) -> list[str]:
    from django.utils import timezone
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from reporting.models import ImplementationReport

    failures = []
    cpu = os.cpu_count()
    print(f"machine: {cpu} cores; balancer {cluster.url}, app servers on ports {cluster.ports}, "
          f"{cluster.env['GUNICORN_WORKERS']} gunicorn workers x 2 threads each")  # fmt: skip
    probe = throttle_probe(cluster)
    print(
        f"\nthrottle probe, {THROTTLE_RATE + 10} requests from one address at "
        f"{THROTTLE_RATE}/minute: answers {probe['answers']}, served by {probe['served by']}"
    )
    if probe["answers"].get(200) != THROTTLE_RATE or len(probe["served by"]) < 2:
        failures.append(f"the throttle is not counted once across the instances: {probe}")

    log, stop = Log(), threading.Event()
    base = cluster.url
    edits = [{"acked": [], "unknown": [], "refused": []} for _ in range(2)]
    evidence = {"acked": [], "failed": []}
    review = {key: {"acked": [], "unknown": []} for key in ("marks", "comments", "invitations")}
    threads = [threading.Thread(target=reader, args=(base, log, stop))
               for _ in range(args.readers)]  # fmt: skip
    threads += [threading.Thread(target=focal_point, args=(
        base, log, stop, name, ids["kaz_entries"][i], edits[i], evidence, cluster.folder))
        for i, name in enumerate(["kaz-focal", "kaz-focal-2"])]  # fmt: skip
    threads.append(threading.Thread(target=reviewer, args=(base, log, stop, ids, review)))
    begin = time.monotonic()
    for thread in threads:
        thread.start()
    events = {}

    def at(second: float) -> None:
        time.sleep(max(0.0, begin + second - time.monotonic()))

    # The implementation report, killed in the middle on worker 1.
    at(2)
    chief = login(base, "reviewer", log)
    response = log.call(chief, "POST", f"{base}/review/implementation-reports/", "impl report",
                        data={"cycle": ids["cycle"], "as_of": timezone.localdate().isoformat(),
                              "language": "ru",
                              "csrfmiddlewaretoken": chief.headers["X-CSRFToken"]})  # fmt: skip
    draft = ImplementationReport.objects.order_by("-pk").first()
    task = DBTaskResult.objects.filter(task_path__endswith="make_implementation_report").first()
    if draft is None or task is None:
        failures.append(f"the implementation report was not asked for: {response.status_code}")
    else:
        deadline = time.monotonic() + 60
        while (DBTaskResult.objects.get(pk=task.pk).status != TaskResultStatus.RUNNING
               and time.monotonic() < deadline):  # fmt: skip
            time.sleep(0.1)
        time.sleep(1.0)  # in the middle of the Word document or the PDF
        events["worker 1 killed"] = time.monotonic() - begin
        Cluster.kill(cluster.workers[0])
        draft.refresh_from_db()
        if draft.status != "queued":
            failures.append(f"the worker finished before it was killed ({draft.status})")
        cluster.start_worker(1)
        events["worker 2 started"] = time.monotonic() - begin

    at(args.kill_app_at)
    app_killed = time.monotonic()
    Cluster.kill(cluster.apps[0])
    events["app 1 killed"] = app_killed - begin
    at(min(args.restart_app_at, events.get("worker 1 killed", 0) + 15))
    if "worker 1 killed" in events:
        cluster.start_worker(0)
        events["worker 1 started again"] = time.monotonic() - begin
    at(args.restart_app_at)
    cluster.start_app(0)
    events["app 1 answering again"] = time.monotonic() - begin
    at(args.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    ended = time.monotonic() - begin
    for name, second in sorted(events.items(), key=lambda item: item[1]):
        print(f"  +{second:5.1f} s  {name}")

    failures += _requests(log, begin, ended, app_killed, args.window)
    failures += _queue_drained(DBTaskResult, TaskResultStatus)
    failures += _writes(edits, evidence, review, cluster)
    failures += _tasks_and_mail(cluster, draft, task)
    return failures


def _requests(log: Log, begin, ended, app_killed, window) -> list[str]:
    rows = log.rows
    by_kind = collections.defaultdict(lambda: [0, 0, []])
    served = collections.Counter(row[4] for row in rows if row[4])
    bad = []
    for start, end, kind, status, _served in rows:
        item = by_kind[kind]
        item[0] += 1
        item[2].append(end - start)
        failed = not isinstance(status, int) or status >= 500 or status == 429
        if failed:
            item[1] += 1
            bad.append((start, end, kind, status))
    print(f"\n{len(rows)} requests in {ended:.0f} s ({len(rows) / ended:.1f}/s), "
          f"served by {dict(served)}")  # fmt: skip
    print(f"{'':18} {'requests':>9} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, (count, failed, times) in sorted(by_kind.items()):
        times.sort()
        print(f"{kind:18} {count:9d} {failed:7d} {times[len(times) // 2] * 1000:8.0f} "
              f"{times[int(len(times) * 0.95)] * 1000:8.0f}")  # fmt: skip
    outside = [row for row in bad if not (app_killed - 60 <= row[0] <= app_killed + window
                                          and row[1] >= app_killed)]  # fmt: skip
    print(f"failed: {len(bad)}, all started before +{app_killed - begin + window:.1f} s and "
          f"ended after the kill: {not outside}; "
          + ", ".join(f"{kind} {status} at +{start - begin:.1f} s"
                      for start, _end, kind, status in bad[:12]))  # fmt: skip
    late = [(kind, status, round(start - begin, 1)) for start, _e, kind, status in outside[:10]]
    return [f"{len(outside)} failed requests not in flight on the killed instance: {late}"
            ] if outside else []  # fmt: skip


def _queue_drained(DBTaskResult, TaskResultStatus, seconds=300) -> list[str]:
    deadline = time.monotonic() + seconds
    while DBTaskResult.objects.exclude(status__in=[TaskResultStatus.SUCCESSFUL,
                                                   TaskResultStatus.FAILED]).exists():  # fmt: skip
        if time.monotonic() > deadline:
            return [f"tasks still waiting after {seconds} s"]
        time.sleep(1)
    return []


def _writes(edits, evidence, review, cluster) -> list[str]:

    from reporting.models import Evidence, ReportEntry, ReviewComment
    from reporting.models.entries import EntryReview

    failures = []
    History = ReportEntry.history.model
    saved = collections.Counter(
        text for text in History.objects.values_list("answers__narrative", flat=True)
        if text and " save " in text
    )  # fmt: skip
    acked = [marker for state in edits for _entry, marker in state["acked"]]
    unknown = [marker for state in edits for _entry, marker in state["unknown"]]
    refused = [marker for state in edits for _entry, marker in state["refused"]]
    lost = [m for m in acked if saved[m] != 1]
    twice = [m for m, n in saved.items() if n > 1]
    stray = set(saved) - set(acked) - set(unknown)
    print(f"\nentry saves answered 2xx: {len(acked)}, in the history once each: "
          f"{len(acked) - len(lost)}; failed in flight: {len(unknown)} (of which saved: "
          f"{sum(saved[m] for m in unknown)}); refused (409, stale after a failure): "
          f"{len(refused)}; saved twice: {len(twice)}")  # fmt: skip
    if lost or twice or stray:
        failures.append(f"entry saves lost {lost[:5]}, twice {twice[:5]}, never sent {stray}")
    for state in edits:  # each entry ends with the last text saved on it
        last = {}
        for entry, marker in state["acked"] + state["unknown"]:
            if saved[marker]:
                last[entry] = marker
        current = dict(ReportEntry.objects.filter(pk__in=last).values_list(
            "pk", "answers__narrative"))  # fmt: skip
        wrong = {pk for pk, marker in last.items() if current[pk] != marker}
        if wrong:
            failures.append(f"entries not ending with their last save: {sorted(wrong)[:5]}")

    texts = collections.Counter(
        ReviewComment.objects.filter(text__startswith="reviewer note").values_list(
            "text", flat=True
        )
    )
    comments = review["comments"]
    missing = [m for _e, m in comments["acked"] if texts[m] != 1]
    twice = [m for m, n in texts.items() if n > 1]
    print(f"review comments answered 2xx: {len(comments['acked'])}, in the database once each: "
          f"{len(comments['acked']) - len(missing)}; failed in flight: {len(comments['unknown'])} "
          f"(of which saved: {sum(texts[m] for _e, m in comments['unknown'])})")  # fmt: skip
    if missing or twice:
        failures.append(f"comments lost {missing[:5]} or twice {twice[:5]}")
    marks = review["marks"]
    current = dict(EntryReview.objects.values_list("entry_id", "comment"))
    last = dict(marks["acked"])
    wrong = [e for e, m in last.items() if current.get(e) != m and not any(
        e == entry for entry, _m in marks["unknown"])]  # fmt: skip
    print(
        f"review marks answered 2xx: {len(marks['acked'])}, failed in flight: "
        f"{len(marks['unknown'])}; entries not holding their last mark: {len(wrong)}"
    )
    if wrong:
        failures.append(f"review marks lost on entries {wrong[:5]}")

    titles = collections.Counter(Evidence.objects.values_list("title", flat=True))
    missing = [m for _pk, m, _c in evidence["acked"] if titles[m] != 1]
    # Each upload read back from each instance directly, with the same session: the session
    # and the file are shared.
    session = edits[0]["session"]
    unread = []
    for pk, _marker, content in evidence["acked"]:
        for port in cluster.ports:
            response = session.get(f"http://127.0.0.1:{port}/api/v1/evidence/{pk}/file/")
            if response.status_code != 200 or response.content != content:
                unread.append((pk, port, response.status_code))
    print(f"evidence uploads answered 2xx: {len(evidence['acked'])}, in the database once each: "
          f"{len(evidence['acked']) - len(missing)}, read back identical from both instances "
          f"with one session: {2 * len(evidence['acked']) - len(unread)} of "
          f"{2 * len(evidence['acked'])}; failed: {len(evidence['failed'])}")  # fmt: skip
    if missing or unread:
        failures.append(f"evidence lost {missing[:5]} or unreadable {unread[:5]}")
    return failures


def _tasks_and_mail(cluster, draft, task) -> list[str]:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from reporting.models import Evidence, ImplementationReport, OutgoingEmail, ReportDocument

    failures = []
    tasks = list(DBTaskResult.objects.all())
    by_path = collections.Counter(t.task_path.rsplit(".", 1)[-1] for t in tasks)
    unfinished = [t for t in tasks if t.status != TaskResultStatus.SUCCESSFUL]
    twice = [t for t in tasks if len(t.worker_ids) > 1 and (task is None or t.pk != task.pk)]
    print(f"\ntasks: {len(tasks)} ({dict(by_path)}); not finished successfully: "
          f"{len(unfinished)}; claimed by more than one worker: {len(twice)} besides the killed "
          f"one (claimed {len(DBTaskResult.objects.get(pk=task.pk).worker_ids) if task else 0}"
          f" times)")  # fmt: skip
    if unfinished or twice:
        failures.append(f"tasks unfinished {[(t.task_path, t.status) for t in unfinished]} "
                        f"or run twice {[t.task_path for t in twice]}")  # fmt: skip
    if draft is not None:
        draft.refresh_from_db()
        print(f"implementation report: {draft.status}, {draft.pdf_pages} PDF pages")
        if draft.status != "ready":
            failures.append(f"the implementation report is {draft.status}: {draft.error}")

    files = sorted(str(p.relative_to(cluster.media)) for p in cluster.media.rglob("*")
                   if p.is_file())  # fmt: skip
    named = [*Evidence.objects.exclude(file="").values_list("file", flat=True),
             *ReportDocument.objects.exclude(file="").values_list("file", flat=True),
             *ImplementationReport.objects.exclude(docx="").values_list("docx", flat=True),
             *ImplementationReport.objects.exclude(pdf="").values_list("pdf", flat=True),
             ]  # fmt: skip
    print(
        f"media files: {len(files)}, named by the database: {len(named)}, "
        f"the same set: {sorted(named) == files}"
    )
    if sorted(named) != files:
        failures.append(f"media files without a row {sorted(set(files) - set(named))[:5]} or "
                        f"rows without a file {sorted(set(named) - set(files))[:5]}")  # fmt: skip

    written = collections.Counter()
    for path in cluster.mail.iterdir():
        for part in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if part.strip():
                message = message_from_bytes(part.strip())
                subject = str(make_header(decode_header(message["Subject"])))
                written[(message["To"], " ".join(subject.split()))] += 1
    rows = collections.Counter(OutgoingEmail.objects.values_list("to", "subject"))
    unsent = OutgoingEmail.objects.filter(sent_at=None).count()
    print(
        f"e-mails: {OutgoingEmail.objects.count()} queued, {sum(written.values())} written "
        f"({len(written)} different), unsent: {unsent}; written twice: "
        f"{sum(1 for n in written.values() if n > 1)}; the same as queued: {written == rows}"
    )
    if written != rows or unsent:
        failures.append(f"e-mails differ from those queued: {sorted((written - rows).items())[:3]}"
                        f" / {sorted((rows - written).items())[:3]}")  # fmt: skip
    return failures


def _fresh_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))  # fmt: skip
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()  # the run's own database number: the throttle counts


if __name__ == "__main__":
    main()
