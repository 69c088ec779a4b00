"""Russian all the way down: everything the portal gives a Russian reader is in Russian.

The programme is loaded as every test loads it; the two reporting cycles are seeded, and people
in every role report, review, comment, add evidence, invite, reset a password and ask for the
implementation report, typing Russian and using the portal in Russian (the browser asks for
Russian and the language cookie says so). Then:

- pages: each role (the public, a national focal point, a contributor, a Secretariat reviewer, an
  administrator) starts from its landing pages and the links of the e-mails it received, and
  follows every same-site link (GET only, htmx GETs included). Each path is read once per role;
  pages that differ only by query string are read a few times per URL name; a signed-in role
  reads a few of each URL name, the public every activity, section, unit, species and state.
  Every named URL is then read by some role, or is in EXCLUDED with the reason.
- e-mails: every message sent meanwhile (django.core.mail.outbox), subject and every part; the
  daily notices are sent as the worker sends them.
- files: every workbook, PDF, Word document and CSV file a page links to, read as a person's
  program reads them (openpyxl, poppler's pdftotext, the Word document's XML, csv).
- the admin: the administrator reads the admin's pages of the portal's own models (the index,
  each list, add page, and an object's change and history pages), not their delete
  confirmations, nor the pages of installed apps and of Django's accounts (THIRD_PARTY), nor the
  history pages django-simple-history draws (simple_history_pages).

What counts as shown: in HTML, text nodes outside <script>, <style>, <code>, <kbd>, <samp> and
form values being edited (<textarea>), and the attributes people read (title, alt, aria-label,
placeholder, label, the value of a button, the page description, and data-* messages that
scripts show). English shown on purpose must say so: HTML inside an element whose `lang` is not
Russian, a Word run whose language is not Russian, a workbook or CSV column whose heading says it
is English; a column whose heading calls it a code or key ("Код…", "Ключ…", "ISO3") holds codes.
PDFs carry no language a reader can see, so every line of a PDF is read.

An English word is a word of two or more Latin letters left once web addresses, e-mail addresses,
file names, paths, UN document symbols and numbers (with the refs and codes that begin with one)
are taken out, and so are the names and codes of the data (species' scientific names, Range
States' ISO codes, user names and addresses, cycles' slugs) and what tests/russian_allow_list.txt
allows, each with its reason. The test fails listing each English string with where it was seen;
CRAWL_REPORT=/path writes the whole list, counted by channel, to a file.
"""

import datetime
import functools
import io
import os
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone, translation
from openpyxl import load_workbook

from activities.models import Activity
from conservation_units.models import RangeState
from reporting import services, tasks
from reporting.choices import EntryStatus, Role
from reporting.models import NationalReport, ReportingCycle, ReportingRole
from species.models import Species
from tests.factories import CycleFactory
from tests.russian_text import (
    EnglishWords,
    Segment,
    csv_segments,
    docx_segments,
    parse_page,
    pdf_segments,
    plain_segments,
    read_allow_list,
    xlsx_segments,
)

pytestmark = [pytest.mark.django_db, pytest.mark.whole_portal]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CYCLE = "2026-2028"

# Named URLs no role reads here, and why.
EXCLUDED = {
    "healthz": "a probe for the load balancer: 'ok', for machines",
    "api-schema": "the OpenAPI schema, for programs; the API's language is ?lang= (another test)",
    "api-docs": "Swagger UI, a third-party interface drawn in the browser from the schema",
    "set_language": "POST only: the switcher, which every page's crawl uses through the cookie",
    "logout": "POST only",
    "report-start": "POST only: its answer is the report page, read for every state",
    "report-action": "POST only: its answers are the report pages, read after each action",
    "report-on-behalf": "POST only: its answer is the report page, read after it",
    "review-decision": "POST only: its answer is the report page, read after each decision",
    "entry-review": "POST only: its answer (a saved mark) is read after the marks are posted",
    "evidence-add": "POST only: its answer is the entry page, read after the file is added",
    "evidence-change": "POST only: its answer is the entry page",
    "evidence-download": "the person's own file, served as uploaded",
    "admin:logout": "POST only",
    "admin:jsi18n": "the admin's JavaScript catalogue (Django's own), not a page",
    "admin:autocomplete": "JSON for the admin's search boxes",
    "admin:view_on_site": "a redirect to the portal's page of the object, read by the public",
}
# Apps whose admin pages are not the portal's programme or reporting: installed apps (log-in
# attempts, the task queue, API tokens, log-in devices) and Django's accounts, which the people
# page (/review/people/, read) manages; Django's user page lists permission names Django stores
# in English. A link to one of their pages, on the admin's index, carries those pages' words.
THIRD_PARTY = ["axes", "django_tasks_database", "otp_totp", "authtoken", "auth"]
# Admin URL names made for every model, and why some are not read.
EXCLUDED_ADMIN = [
    (re.compile(r"^admin:.+_delete$"), "a confirmation of deleting, in the admin's own words "
                                       "(Django's catalogue) around the object's name"),
    (re.compile(rf"^admin:({'|'.join(THIRD_PARTY)})_"),
     "the admin of an installed app or of Django's accounts (see THIRD_PARTY)"),
    (re.compile(r"^admin:activities_responsiblepartyalias_(change|history)$"),
     "an alias is the document's English wording, quoted as printed for the importer to match: "
     "Django writes it into the page's title and headings, which cannot mark a part of "
     "themselves as English (the list of aliases and each party's page, read, mark them)"),
]  # fmt: skip
EXCLUDED_PATHS = ("/api/", "/i18n/", "/static/", "/media/", "/accounts/logout/", "/admin/logout/")
# URL names with one page per programme object: the public reads each once.
CONTENT = {"activity-detail", "section-detail", "unit-detail", "species-detail",
           "range-state-detail"}  # fmt: skip
PER_NAME = 6  # paths of one URL name a role reads (of one report, for a report's pages)
QUERIES = 2  # query strings of one URL name a role reads


@dataclass
class Finding:
    channel: str  # page, e-mail, xlsx, pdf, docx, csv, text
    role: str
    source: str  # URL, or the e-mail's subject and recipient
    where: str  # inside it
    text: str
    words: list[str]


@dataclass
class Crawl:
    english: EnglishWords
    capture: object
    findings: list[Finding] = field(default_factory=list)
    read: dict = field(default_factory=lambda: defaultdict(set))  # URL name -> roles
    channels: Counter = field(default_factory=Counter)  # what was read, by channel
    slots: Counter = field(default_factory=Counter)
    seen: set = field(default_factory=set)
    log: list = field(default_factory=list)  # (role, URL, status) of every GET

    def check(self, channel: str, role: str, source: str, segments: list[Segment]) -> None:
        self.channels[channel] += 1
        for segment in segments:
            if segment.link and excluded_url(same_site(source.split(" ")[0], segment.link) or ""):
                continue  # the name of a page not read, in that page's words
            if words := self.english(segment.text):
                self.findings.append(
                    Finding(channel, role, source, segment.where, segment.text, words)
                )

    def get(self, client, url: str):
        with self.capture(execute=True):  # the task queue runs what the request queued
            return client.get(url)

    def crawl(self, role: str, client, starts: list[str]) -> None:
        queue = deque(same_site("/", start) for start in starts)
        while queue:
            url = queue.popleft()
            if not url or (role, url) in self.seen or url.startswith(EXCLUDED_PATHS):
                continue
            self.seen.add((role, url))
            name = self._name(url)
            if excluded_url(url) or not self._admit(role, url, name):
                continue
            response = self.get(client, url)
            if response.status_code == 202:  # a document being made: made by now
                response = self.get(client, url)
            if response.status_code in {301, 302, 303}:
                queue.append(same_site(url, response["Location"]))
                continue
            links = self.read_response(role, url, response)
            self.log.append((role, url, response.status_code))
            if name and (response.status_code < 400 or (
                    name.startswith("admin:") and response.status_code == 403)):  # fmt: skip
                # (the admin answers 403 to an add page it does not offer for that model)
                self.read[name].add(role)
            queue.extend(link for link in links if link)

    def _name(self, url: str) -> str | None:
        try:
            return resolve(urlsplit(url).path).view_name
        except Resolver404:
            return None

    def _admit(self, role: str, url: str, name: str | None) -> bool:
        """Whether this role reads this page: each path once, a few of each URL name (of each
        report) and of each name's query strings; the public every programme object."""
        parts = urlsplit(url)
        match = resolve(parts.path) if name else None
        if parts.query:
            slot, most = (role, name, "?"), QUERIES
        elif role == "anonymous" and name in CONTENT:
            return True
        else:
            report = tuple(match.kwargs.get(k) for k in ("cycle", "iso3")) if match else ()
            slot, most = (role, name, report), PER_NAME
        self.slots[slot] += 1
        return self.slots[slot] <= most

    def read_response(self, role: str, url: str, response) -> list[str]:
        kind = response.get("Content-Type", "").split(";")[0].strip()
        body = b"".join(response.streaming_content) if response.streaming else response.content
        source = f"{url} ({response.status_code})"
        if kind == "text/html":
            page = parse_page(body.decode())
            if page.root_lang not in (None, "ru"):
                said = f'lang="{page.root_lang}"'
                self.findings.append(Finding("page", role, source, "<html>", said, [said]))
            self.check("page", role, source, page.segments)
            return [same_site(url.split(" ")[0], link) for link in page.links]
        readers = {XLSX: ("xlsx", xlsx_segments), "application/pdf": ("pdf", pdf_segments),
                   DOCX: ("docx", docx_segments), "text/csv": ("csv", csv_segments),
                   "text/plain": ("text", lambda data: plain_segments(data.decode()))}  # fmt: skip
        if kind in readers:
            channel, reader = readers[kind]
            self.check(channel, role, source, reader(body))
        return []


def same_site(base: str, link: str) -> str | None:
    """The link as a path and query on this site, or None for another site, a script or mail."""
    if link.startswith(settings.PORTAL_URL):
        link = link[len(settings.PORTAL_URL) :]
    parts = urlsplit(urljoin(f"http://testserver{base}", link))
    if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def named_urls(patterns=None, namespace: str = "", prefix: str = "") -> dict[str, str]:
    """Every named URL pattern: {name: its route}."""
    names = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names[f"{namespace}{pattern.name}"] = route
    return names


def excluded_url(url: str) -> str | None:
    """Why the page at `url` is not read, if it is not."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name == "admin:app_list" and match.kwargs.get("app_label") in THIRD_PARTY:
        return "the admin of an installed app or of Django's accounts (see THIRD_PARTY)"
    return excluded(match.view_name)


@functools.cache
def routes() -> dict[str, str]:
    return named_urls()


@functools.cache
def simple_history_pages() -> set[str]:
    """The admin's history pages that django-simple-history draws (its Russian catalogue is a
    few dozen words, kept as ru_RU; the changes it lists are stored values and codes)."""
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    return {f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
            for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, SimpleHistoryAdmin)
            for page in ("history", "simple_history")}  # fmt: skip


def excluded(name: str) -> str | None:
    if name in simple_history_pages():
        return "a history page drawn by django-simple-history (see simple_history_pages)"
    if routes().get(name, "").startswith("api/"):
        return "the API: JSON for programs, whose language is ?lang= (another test)"
    if name in EXCLUDED:
        return EXCLUDED[name]
    for pattern, reason in EXCLUDED_ADMIN:
        if pattern.match(name):
            return reason
    return None


# The people and what they do -----------------------------------------------------------------

PEOPLE = {  # role in this test: (user name, first name, last name, role, Range State)
    "focal_point": ("a.seitkali", "Айгуль", "Сейткали", Role.NATIONAL_FOCAL_POINT, "KAZ"),
    "contributor": ("d.nurlanov", "Данияр", "Нурланов", Role.CONTRIBUTOR, "KAZ"),
    "secretariat": ("a.petrov", "Алексей", "Петров", Role.SECRETARIAT, None),
    "kgz": ("t.asanov", "Талант", "Асанов", Role.NATIONAL_FOCAL_POINT, "KGZ"),
    "tjk": ("s.rakhimov", "Сухроб", "Рахимов", Role.NATIONAL_FOCAL_POINT, "TJK"),
    "mng": ("b.batsukh", "Батбаяр", "Батсух", Role.NATIONAL_FOCAL_POINT, "MNG"),
    "uzb": ("r.usmanov", "Рустам", "Усманов", Role.NATIONAL_FOCAL_POINT, "UZB"),
    "tkm": ("m.orazov", "Мерген", "Оразов", Role.NATIONAL_FOCAL_POINT, "TKM"),
    "new_focal_point": ("p.kumar", "Прия", "Кумар", Role.NATIONAL_FOCAL_POINT, "IND"),
}
ADMIN = ("i.volkova", "Ирина", "Волкова")
CRAWLED = ["anonymous", "focal_point", "new_focal_point", "contributor", "secretariat",
           "administrator"]  # fmt: skip
NARRATIVES = [
    "Проведены учёты численности сайгака весной и осенью; данные переданы в министерство.",
    "Подготовлен проект закона об охране мигрирующих видов; обсуждается с ведомствами.",
    "Запланированы совместные патрули с соседними государствами ареала.",
    "Работы не начаты: ожидается финансирование.",
    "Мероприятие не относится к нашей стране.",
]
PASSWORD = "пароль-длинный-1"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


def russian_client(user=None) -> Client:
    """A Russian reader's browser: it asks for Russian, and the switcher's cookie says so."""
    client = Client(headers={"accept-language": "ru,en;q=0.3"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    if user is not None:  # through the login page, as a person logs in (it keeps the language)
        login = {"username": user.get_username(), "password": PASSWORD}
        assert client.post("/accounts/login/", login).status_code == 302
    return client


class World:
    """The programme with people and reports in every state of the workflow, made through the
    portal's pages in Russian where a person would act, and the e-mails that sent."""

    def __init__(self, capture, crawl: Crawl):
        self.capture, self.crawl = capture, crawl
        User = get_user_model()
        self.users = {}
        for key, (username, first, last, role, iso3) in PEOPLE.items():
            user = User.objects.create_user(username, f"{username}@example.org", PASSWORD,
                                            first_name=first, last_name=last)  # fmt: skip
            state = RangeState.objects.get(iso3=iso3) if iso3 else None
            ReportingRole.objects.create(user=user, role=role, range_state=state)
            self.users[key] = user
        self.users["administrator"] = User.objects.create_superuser(
            ADMIN[0], f"{ADMIN[0]}@example.org", PASSWORD, first_name=ADMIN[1],
            last_name=ADMIN[2],
        )  # fmt: skip
        self.clients = {key: russian_client(user) for key, user in self.users.items()}
        self.clients["anonymous"] = russian_client()
        self.cycle = ReportingCycle.objects.get(slug=CYCLE)

    def post(self, who: str, url: str, data: dict, expected=(200, 202), htmx: bool = False):
        """A form sent as a person sends it (or as htmx sends it, for a fragment); the page it
        leads to is read like any page."""
        headers = {"HX-Request": "true"} if htmx else {}
        with self.capture(execute=True):
            response = self.clients[who].post(url, data, follow=True, headers=headers)
        assert response.status_code in expected, (url, response.status_code, errors(response))
        last = response.redirect_chain[-1][0] if response.redirect_chain else url
        self.crawl.read_response(who, f"{last} (after POST {url})", response)
        return response

    def report(self, key: str, cycle=None) -> NationalReport:
        cycle = cycle or self.cycle
        user = self.users[key]
        with self.capture(execute=True):
            return services.open_report(cycle=cycle, range_state=user.reporting_role.range_state,
                                        actor=user)  # fmt: skip

    def answer(self, report, who: str, share: float = 1.0) -> None:
        statuses = [EntryStatus.IN_PROGRESS, EntryStatus.PLANNED, EntryStatus.COMPLETED,
                    EntryStatus.NOT_STARTED, EntryStatus.NOT_APPLICABLE]  # fmt: skip
        entries = list(report.entries.order_by("activity__position"))
        with self.capture(execute=True):
            for index, entry in enumerate(entries[: round(len(entries) * share)]):
                status = statuses[index % len(statuses)]
                services.save_entry(entry=entry, actor=self.users[who],
                                    expected_revision=entry.revision, source="web form",
                                    data={"status": status, "narrative": NARRATIVES[index % 5],
                                          "year_completed": 2026 if status == EntryStatus.COMPLETED
                                          else None})  # fmt: skip

    @staticmethod
    def url(report, name: str = "", *rest) -> str:
        base = f"/reporting/{report.cycle.slug}/{report.range_state.iso3}/"
        return base + (f"{name}/" if name else "") + "".join(f"{part}/" for part in rest)

    def submit(self, report, who: str):
        self.post(who, self.url(report, "submit"), {"confirm": "1"})

    def review(self, report, verdicts: dict[int, tuple[str, str]], htmx: bool = False):
        for pk, (verdict, comment) in verdicts.items():
            self.post("secretariat", self.url(report, "review", "entries", pk),
                      {"verdict": verdict, "comment": comment}, htmx=htmx)  # fmt: skip

    def decide(self, report, action: str, text: str):
        self.post("secretariat", self.url(report, "review", action),
                  {"text": text, "confirm": "1"})  # fmt: skip

    def build(self) -> None:
        self._earlier_cycle()
        kaz = self.report("focal_point")
        self.answer(kaz, "focal_point", 0.4)
        first = kaz.entries.order_by("activity__position").first()
        self.post("focal_point", self.url(kaz, "entries", first.pk, "evidence"),
                  {"title": "Отчёт об учёте сайгака", "file": SimpleUploadedFile(
                      "отчёт-об-учёте.pdf", PDF, content_type="application/pdf")})  # fmt: skip
        self.post(
            "contributor",
            self.url(kaz, "entries", first.pk, "evidence"),
            {"title": "Публикация министерства", "url": "https://example.org/saiga"},
        )
        self.post(
            "focal_point",
            self.url(kaz, "comment"),
            {"text": "Просим уточнить, нужно ли отчитываться по мероприятию 3.3."},
        )
        self.post(
            "secretariat",
            self.url(kaz, "comment"),
            {"text": "Да, по каждому показателю этого мероприятия."},
        )
        # Kyrgyzstan: submitted, withdrawn, submitted again.
        kgz = self.report("kgz")
        self.answer(kgz, "kgz")
        self.submit(kgz, "kgz")
        self.post("kgz", self.url(kgz, "withdraw"), {"text": "Нужно исправить год завершения."})
        self.submit(kgz, "kgz")
        # Mongolia: under review.
        mng = self.report("mng")
        self.answer(mng, "mng")
        self.submit(mng, "mng")
        self.post("secretariat", self.url(mng, "start_review"), {"text": ""})
        # Tajikistan: returned with requests on two entries.
        tjk = self.report("tjk")
        self.answer(tjk, "tjk")
        self.submit(tjk, "tjk")
        entries = list(tjk.entries.order_by("activity__position")[:3])
        self.review(tjk, {entries[0].pk: ("needs_change", "Укажите, где проходили учёты."),
                          entries[1].pk: ("needs_change", "Приложите текст проекта закона."),
                          entries[2].pk: ("fine", "")}, htmx=True)  # fmt: skip
        self.decide(tjk, "return", "Просим дополнить два ответа.")
        # Uzbekistan: returned once, then accepted (two versions).
        uzb = self.report("uzb")
        self.answer(uzb, "uzb")
        self.submit(uzb, "uzb")
        self.decide(uzb, "return", "Просим проверить статусы.")
        self.submit(uzb, "uzb")
        self.review(uzb, {uzb.entries.order_by("activity__position")[0].pk: ("fine", "")})
        self.decide(uzb, "accept", "Спасибо: отчёт полный и ясный.")
        # Turkmenistan: accepted, then reopened by the Secretariat.
        tkm = self.report("tkm")
        self.answer(tkm, "tkm")
        self.submit(tkm, "tkm")
        self.decide(tkm, "accept", "Принято.")
        self.post("secretariat", self.url(tkm, "recall"), {"text": "Государство просит исправить."})
        # An administrator enters the reopened report on the state's behalf (its focal point is
        # told), and starts the report of a state that has no focal point yet.
        self.post("administrator", self.url(tkm, "on-behalf"),
                  {"reason": "Исправления прислали по почте на бумаге."})  # fmt: skip
        afg = (
            RangeState.objects.range_states()
            .exclude(iso3__in=[iso3 for *_rest, iso3 in PEOPLE.values() if iso3])
            .first()
        )
        with self.capture(execute=True):
            services.open_report(cycle=self.cycle, range_state=afg,
                                 actor=self.users["administrator"])  # fmt: skip
        self._typing(kaz)
        self._excel(kaz)
        self._people()
        self._failed_logins()
        activity = Activity.objects.get(ref="1.1")
        self.post(
            "administrator",
            "/admin/activities/activity/",
            {"action": "mark_translations_reviewed", "_selected_action": [activity.pk]},
        )
        self._implementation_report()
        self._daily_notices()

    def _typing(self, report) -> None:
        """An entry saved as the page saves it while one types, then from a page loaded before
        that save (the conflict), then with an answer the form refuses."""
        entry = report.entries.order_by("activity__position")[3]
        url, typed = self.url(report, "entries", entry.pk), {"narrative": "Идёт подготовка."}
        self.post("focal_point", url, {"revision": entry.revision, "status": "in_progress",
                                       "autosave": "1", **typed}, htmx=True)  # fmt: skip
        self.post("contributor", url, {"revision": entry.revision, "status": "planned", **typed},
                  expected=(409,), htmx=True)  # fmt: skip
        self.post("contributor", url, {"revision": entry.revision + 1, "status": "неизвестно"},
                  expected=(400,))  # fmt: skip

    def _excel(self, report) -> None:
        """The offline template sent back: as downloaded, with a wrong answer, and a file that
        is not a workbook (the page says what it saved, or why not)."""
        url = self.url(report, "upload")
        download = self.clients["focal_point"].get(f"{self.url(report)}template.xlsx")
        data = b"".join(download.streaming_content)
        self.post("focal_point", url, {"file": SimpleUploadedFile("шаблон.xlsx", data)})
        book = load_workbook(io.BytesIO(data))
        book.worksheets[1]["F2"] = "неизвестно"  # the Report sheet's first question
        wrong = io.BytesIO()
        book.save(wrong)
        for name, content in [
            ("шаблон.xlsx", wrong.getvalue()),
            ("заметки.xlsx", "заметки".encode()),
        ]:
            self.post("focal_point", url, {"file": SimpleUploadedFile(name, content)},
                      expected=(400,))  # fmt: skip

    def _earlier_cycle(self) -> None:
        """A closed cycle whose accepted Kazakh report carries answers over to the current one."""
        today = timezone.localdate()
        earlier = CycleFactory(title="Пробный отчёт, 2023–2025", slug="2023-2025",
                               period_start=2023, period_end=2025,
                               opens_on=today - datetime.timedelta(days=900),
                               due_on=today + datetime.timedelta(days=30),
                               closes_on=today + datetime.timedelta(days=60))  # fmt: skip
        report = self.report("focal_point", earlier)
        self.answer(report, "focal_point")
        self.submit(report, "focal_point")
        self.decide(report, "accept", "Принято.")
        ReportingCycle.objects.filter(pk=earlier.pk).update(
            opens_on=today - datetime.timedelta(days=900),
            due_on=today - datetime.timedelta(days=400),
            closes_on=today - datetime.timedelta(days=300),
        )

    def _people(self) -> None:
        kaz = RangeState.objects.get(iso3="KAZ")
        self.post("secretariat", "/review/people/",
                  {"action": "invite", "range_state": kaz.iso3, "role": Role.CONTRIBUTOR,
                   "email": "g.amanova@example.org", "name": "Гульнара Аманова"})  # fmt: skip
        invited = ReportingRole.objects.get(user__email="g.amanova@example.org")
        self.post("secretariat", "/review/people/", {"action": "resend", "role": invited.pk})
        role = self.users["focal_point"].reporting_role
        self.post("secretariat", "/review/people/",
                  {"action": "contact", "role": role.pk, "contact_published": "on",
                   "public_name": "Айгуль Сейткали",
                   "public_organisation": "Комитет лесного хозяйства и животного мира",
                   "public_email": "a.seitkali@example.org"})  # fmt: skip
        self.post("anonymous", "/accounts/password_reset/", {"email": "d.nurlanov@example.org"})

    def _failed_logins(self) -> None:
        """A wrong password, then as many as lock the name out from this address."""
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            last = attempt == settings.AXES_FAILURE_LIMIT - 1
            self.post("anonymous", "/accounts/login/", {"username": "неизвестный",
                                                        "password": "неверный-пароль"},
                      expected=(429, 403) if last else (200,))  # fmt: skip

    def _implementation_report(self) -> None:
        self.post("secretariat", "/review/implementation-reports/",
                  {"cycle": self.cycle.pk, "as_of": timezone.localdate().isoformat(),
                   "language": "ru"})  # fmt: skip

    def _daily_notices(self) -> None:
        """The reminders and the announcement of a cycle, as the worker sends them each day."""
        due = self.cycle.due_on - datetime.timedelta(days=settings.REMINDER_DAYS[0])
        opens = ReportingCycle.objects.get(slug="2029-2031").opens_on
        # The worker is a process of its own: no request has chosen a language for it.
        with self.capture(execute=True), translation.override(settings.LANGUAGE_CODE):
            for day in (due, opens):
                tasks.send_daily_notices.enqueue(day.isoformat())


def errors(response) -> list[str]:
    """What a refused form says (the page's error messages), for the assertion above."""
    text = response.content.decode(errors="replace")
    return re.findall(r'class="(?:errorlist|field-error|notice)[^"]*"[^>]*>(.*?)</', text, re.S)


def data_codes() -> list[str]:
    """Names and codes of the data, allowed as written wherever they are shown."""
    User = get_user_model()
    codes = [*Species.objects.values_list("scientific_name", flat=True)]
    codes += [name for names in Species.objects.values_list("red_list_names", flat=True)
              for name in names]  # fmt: skip
    codes += [name for (name,) in RangeState.objects.values_list("iso3")]
    codes += [*User.objects.values_list("username", flat=True)]
    codes += [*ReportingCycle.objects.values_list("slug", flat=True)]
    codes += ["testserver", urlsplit(settings.PORTAL_URL).hostname]  # the site's host names
    return [code for code in codes if code]


def starts_of(world: World) -> dict[str, list[str]]:
    kaz, kgz = f"/reporting/{CYCLE}/KAZ/", f"/reporting/{CYCLE}/KGZ/"
    return {
        "anonymous": ["/", "/dashboard/", "/national-reports/", "/accounts/login/",
                      "/accounts/password_reset/", "/accounts/password_reset/done/",
                      "/accounts/reset/done/", "/reporting/", "/admin/", kaz,
                      "/несуществующая-страница/"],
        "focal_point": ["/reporting/", kaz, kgz, "/review/", "/accounts/password_change/",
                        "/accounts/password_change/done/"],
        "new_focal_point": ["/reporting/"],  # no report started yet
        "contributor": ["/reporting/", kaz, f"{kaz}submit/"],
        "secretariat": ["/reporting/", "/review/", "/review/forms/", "/review/people/",
                        "/review/implementation-reports/", "/dashboard/", f"{kaz}answers/"],
        "administrator": ["/admin/", "/reporting/", "/review/", "/review/people/",
                          "/admin/password_change/", "/admin/password_change/done/",
                          *admin_pages()],
    }  # fmt: skip


def admin_pages() -> list[str]:
    """The admin's pages of each of the portal's models: its list, its add page, and the first
    object's change and history pages."""
    from django.contrib import admin
    from django.urls import reverse

    pages = []
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label in THIRD_PARTY:
            continue
        name = f"admin:{meta.app_label}_{meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages += [reverse(f"{name}_change", args=[first.pk]),
                      reverse(f"{name}_history", args=[first.pk])]  # fmt: skip
    return pages


SITES = (settings.PORTAL_URL, "http://testserver/")  # where the portal's e-mails link to


def mail_links(world: World) -> dict[str, list[str]]:
    """The portal's links in each role's e-mails; those to people who have no role here (an
    invitee, someone who asked for a new password) are read by the public."""
    by_address = {user.email: key for key, user in world.users.items()}
    links = defaultdict(list)
    for message in mail.outbox:
        for address in message.to:
            key = by_address.get(address, "anonymous")
            key = key if key in CRAWLED else "anonymous"
            found = re.findall(r"https?://\S+", message.body)
            links[key] += [url for url in found if url.startswith(SITES)]
    return links


def check_mail(crawl: Crawl, world: World) -> None:
    by_address = {user.email: key for key, user in world.users.items()}
    for message in mail.outbox:
        to = ", ".join(by_address.get(address, address) for address in message.to)
        source = f"«{message.subject}» to {to}"
        segments = [Segment(message.subject, "subject"), *plain_segments(message.body)]
        for content, kind in getattr(message, "alternatives", []):
            if kind == "text/html":
                segments += parse_page(content).segments
        crawl.check("e-mail", to, source, segments)


def report_text(crawl: Crawl, uncovered: set[str]) -> str:
    """The findings grouped by channel and by string, with where each was seen."""
    groups = defaultdict(list)
    for finding in crawl.findings:
        groups[(finding.channel, re.sub(r"\d+", "0", finding.text))].append(finding)
    channels = sorted({channel for channel, _text in groups})
    lines = [f"English strings: {len({text for _channel, text in groups})} distinct "
             f"({len(groups)} counted by channel), {len(crawl.findings)} occurrences, "
             f"{len({w for f in crawl.findings for w in f.words})} distinct words"]  # fmt: skip
    for channel in channels:
        keys = [key for key in groups if key[0] == channel]
        lines.append(f"  {channel}: {len(keys)} distinct, "
                     f"{sum(len(groups[key]) for key in keys)} occurrences")  # fmt: skip
    lines.append(f"Read: {dict(crawl.channels)}")
    lines.append("E-mails read (subjects): " + "; ".join(sorted({m.subject for m in mail.outbox})))
    if uncovered:
        lines.append("Named URLs no role read (add a crawl start or an EXCLUDED reason):")
        lines += [f"  {name}" for name in sorted(uncovered)]
    lines.append(f"GET requests: {len(crawl.log)}, by role: "
                 f"{dict(Counter(role for role, _url, _status in crawl.log))}")  # fmt: skip
    for channel in channels:
        lines += ["", f"== {channel} =="]
        keys = sorted((key for key in groups if key[0] == channel),
                      key=lambda key: (-len(groups[key]), key[1]))  # fmt: skip
        for key in keys:
            found = groups[key]
            words = sorted({word for finding in found for word in finding.words})
            lines.append(f"{found[0].text[:300]!r}  [{', '.join(words)}]  x{len(found)}")
            places = {(f.role, f.source, f.where) for f in found}
            for role, source, where in sorted(places)[:3]:
                lines.append(f"    {role}: {source} @ {where}")
            if len(places) > 3:
                lines.append(f"    ... and {len(places) - 3} more places")
    lines += ["", "== every GET ==", *(f"{role} {status} {url}" for role, url, status in crawl.log)]
    return "\n".join(lines) + "\n"


def test_a_russian_reader_meets_no_english(settings, tmp_path,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    from django.core.management import call_command

    call_command("seed_reporting_cycles", verbosity=0)
    crawl = Crawl(english=None, capture=django_capture_on_commit_callbacks)
    world = World(django_capture_on_commit_callbacks, crawl)
    crawl.english = EnglishWords(read_allow_list(), data_codes())
    world.build()
    links = mail_links(world)
    starts = starts_of(world)
    for role in CRAWLED:
        crawl.crawl(role, world.clients[role], starts[role] + links.get(role, []))
    check_mail(crawl, world)
    uncovered = {name for name in named_urls() if name not in crawl.read and not excluded(name)}
    text = report_text(crawl, uncovered)
    if os.environ.get("CRAWL_REPORT"):
        with open(os.environ["CRAWL_REPORT"], "w", encoding="utf-8") as file:
            file.write(text)
    assert not uncovered and not crawl.findings, text[:20000]


def test_english_shown_on_purpose_is_marked_and_codes_are_not_words():
    page = parse_page(
        '<p title="Скачать">Мероприятие <span lang="en">Kulan</span> <code>status</code>'
        '<input type="submit" value="Save"><textarea>typed</textarea></p>'
    )
    english = EnglishWords(["Excel"], ["a.seitkali", "Panthera uncia"])
    found = [word for segment in page.segments for word in english(segment.text)]
    assert found == ["Save"]
    text = ("a.seitkali: файл отчёт.xlsx, https://example.org/a и Panthera uncia в Excel; "
            "UNEP/CMS/CAMI-TW/Doc.3, мероприятие 3.3-b, приложение II")  # fmt: skip
    assert english(text) == []
    assert english("Программа работы CAMI (CMS)") == ["CAMI", "CMS"]


def test_a_workbook_column_headed_english_or_code_is_left_out():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Текст", "Текст (английский)", "Код статуса"])
    book.active.append(["Перевод", "As printed", "in_progress"])
    data = io.BytesIO()
    book.save(data)
    texts = [segment.text for segment in xlsx_segments(data.getvalue())]
    assert "Перевод" in texts and "As printed" not in texts and "in_progress" not in texts
