"""The reviewer works a submission on one page: a mark and a comment per entry saved as they go,
what changed since the version sent back, and the decision in one place."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from reporting import review, services
from reporting.choices import ReportStatus
from reporting.models import ReportEntry, ReviewComment
from reporting.models.entries import EntryReview
from reporting.views import SECTION_ENTRIES
from tests.reporting.conftest import answer_all
from tests.reporting.test_permissions import ROLES, STATES, client_for, put_in_state

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def review_url(report, query=""):
    return reverse("report-review", args=[report.cycle.slug, report.range_state.iso3]) + query


def mark_url(report, entry):
    return reverse("entry-review", args=[report.cycle.slug, report.range_state.iso3, entry.pk])


def decision_url(report, action):
    return reverse("review-decision", args=[report.cycle.slug, report.range_state.iso3, action])


def every_page(client, url) -> str:
    """The review page's pages of entries one after the other, followed by their "next" links."""
    pages = [client.get(url).content.decode()]
    while 'rel="next"' in pages[-1].split('aria-label="Pages of entries"')[-1]:
        following = pages[-1].split('aria-label="Pages of entries"')[-1].split('rel="next"')[0]
        pages.append(client.get(url.split("?")[0] + following.split('href="')[-1].split('"')[0]
                                .replace("&amp;", "&")).content.decode())  # fmt: skip
    return "".join(pages)


def entry(report, ref) -> ReportEntry:
    return report.entries.get(activity__ref=ref)


@pytest.fixture
def submitted(report, people):
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    report.refresh_from_db()
    return report


@pytest.fixture
def resubmitted(report, people):
    """Version 1 returned with a request on 1.2; the state changed 1.2 and 1.3, and resubmitted."""
    answer_all(report)
    first, second = entry(report, "1.2"), entry(report, "1.3")
    ReportEntry.objects.filter(pk=first.pk).update(
        answers={"narrative": "Two surveys done in spring.", "partners": "WWF"}
    )
    ReportEntry.objects.filter(pk=second.pk).update(answers={"narrative": "Unchanged words."})
    services.submit_report(report=report, actor=people["national_focal_point"])
    review.mark_entry(entry=first, actor=people["secretariat"], verdict="needs_change",
                      comment="Say which species.")  # fmt: skip
    services.return_report(report=report, actor=people["secretariat"], comment="Nearly there.")
    changes = [(first, {"status": "completed",
                        "narrative": "Three surveys done in spring and autumn <script>."}),
               (second, {"challenges": "Funding"})]  # fmt: skip
    for item, data in changes:
        item.refresh_from_db()
        services.save_entry(entry=item, actor=people["contributor"], data=data,
                            expected_revision=item.revision)  # fmt: skip
    services.submit_report(report=report, actor=people["national_focal_point"])
    report.refresh_from_db()
    return report


# Marks, saved as the reviewer goes


def test_a_mark_is_saved_on_its_own_and_the_report_waits_for_the_decision(client, submitted,
                                                                         people):  # fmt: skip
    report = submitted
    client.force_login(people["secretariat"])
    page = every_page(client, review_url(report))
    assert page.count('class="card review-entry') == report.entries.count()
    assert "Your first mark starts the review" in page
    first, second = entry(report, "1.2"), entry(report, "2.1")
    body = {"verdict": "needs_change", "comment": " Which slopes? "}
    saved = client.post(mark_url(report, first), body, headers=HTMX)
    assert saved.status_code == 200
    fragment = saved.content.decode()
    assert (
        "Saved" in fragment and 'id="review-tally"' in fragment and 'hx-swap-oob="true"' in fragment
    )
    assert "1 entry needs a change" in fragment and 'id="accept-anyway"' in fragment
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW  # the first mark started the review, said so
    assert report.history.first().history_change_reason == "review started"
    plain = client.post(mark_url(report, second), {"verdict": "fine", "comment": ""})
    assert plain.status_code == 302
    assert plain["Location"] == review_url(report) + f"#entry-{second.pk}"
    again = client.post(mark_url(report, first), {"verdict": "needs_change",
                                                  "comment": "Which slopes exactly?"},
                        headers=HTMX)  # fmt: skip
    assert again.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW and not report.comments.exists()
    marks = {m.entry_id: (m.verdict, m.comment, m.report_version, m.reviewer_id)
             for m in EntryReview.objects.all()}  # fmt: skip
    secretariat = people["secretariat"].pk
    assert marks == {first.pk: ("needs_change", "Which slopes exactly?", 1, secretariat),
                     second.pk: ("fine", "", 1, secretariat)}  # fmt: skip
    page = client.get(review_url(report)).content.decode()
    assert "Which slopes exactly?</textarea>" in page
    assert "1 entry needs a change" in page and "1 fine, 90 not marked" in page


def test_marks_are_the_secretariats_until_the_report_is_returned(client, submitted, people):
    report = submitted
    target = entry(report, "1.2")
    review.mark_entry(entry=target, actor=people["secretariat"], verdict="needs_change",
                      comment="Secret working note")  # fmt: skip
    for role in ["national_focal_point", "alternate", "contributor", "other_state_focal_point",
                 "no_role"]:  # fmt: skip
        client.force_login(people[role])
        assert client.get(review_url(report)).status_code == 403, role
        written = client.post(mark_url(report, target), {"verdict": "fine", "comment": "x"})
        assert written.status_code == 403, role
        assert "Secret working note" not in client.get(reverse(
            "report-detail", args=[report.cycle.slug, "KAZ"])).content.decode()  # fmt: skip
    client.logout()
    assert client.get(review_url(report))["Location"].startswith("/accounts/login/")
    assert client.post(mark_url(report, target), {"verdict": "fine"}).status_code == 302
    client.force_login(people["national_focal_point"])
    api = client.get("/api/v1/comments/", {"report": report.pk})
    assert api.status_code == 200 and "Secret working note" not in api.content.decode()
    assert EntryReview.objects.get().comment == "Secret working note"
    with pytest.raises(PermissionDenied):
        review.mark_entry(entry=target, actor=people["national_focal_point"], verdict="fine",
                          comment="")  # fmt: skip


def test_the_review_rules_by_role_and_state(client, report, people):
    """read_review: the Secretariat, always; review_entries: the Secretariat while a decision is
    due. Nobody else, whatever the state."""
    answer_all(report)
    target = report.entries.first()
    for state in STATES:
        put_in_state(report, state)
        for role in ROLES:
            user = people.get(role)
            client = client_for(user) if user else Client()
            staff = role in {"secretariat", "administrator"}
            reads = client.get(review_url(report)).status_code
            assert reads == (200 if staff else 302 if role == "anonymous" else 403), (state, role)
            writes = staff and state in {ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW}
            note = f"{state} {role}"
            answer = client.post(mark_url(report, target), {"verdict": "fine", "comment": note})
            assert answer.status_code == (302 if writes or role == "anonymous" else 403), (
                state, role,
            )  # fmt: skip
            stored = EntryReview.objects.filter(comment=note).exists()
            assert stored == writes, (state, role)


def test_once_decided_the_marks_are_a_record_that_no_one_changes(client, submitted, people):
    report = submitted
    review.mark_entry(entry=entry(report, "1.2"), actor=people["secretariat"], verdict="fine",
                      comment="Good.")  # fmt: skip
    services.accept_report(report=report, actor=people["secretariat"])
    client.force_login(people["secretariat"])
    page = client.get(review_url(report)).content.decode()
    assert "not waiting for a decision" in page and 'id="decision"' not in page
    assert "hx-post" not in page and "Good.</textarea>" in page
    refused = client.post(mark_url(report, entry(report, "1.2")), {"verdict": "needs_change"})
    assert refused.status_code == 403
    assert EntryReview.objects.get().verdict == "fine"


# The decision, from the marks


def test_returning_sends_each_needs_change_comment_as_the_states_request(client, submitted,
                                                                         people):  # fmt: skip
    report = submitted
    client.force_login(people["secretariat"])
    asked = {"1.2": "Attach the meeting report.", "2.1": "Which partners?"}
    for ref, text in asked.items():
        body = {"verdict": "needs_change", "comment": text}
        client.post(mark_url(report, entry(report, ref)), body, headers=HTMX)
    client.post(mark_url(report, entry(report, "1.3")), {"verdict": "fine",
                                                        "comment": "Our own note"})  # fmt: skip
    response = client.post(decision_url(report, "return"), {"text": "Two entries need work."},
                           follow=True)  # fmt: skip
    assert "returned to Kazakhstan with 2 requests" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    requests = {c.entry.activity.ref if c.entry else None: c.text
                for c in report.comments.select_related("entry__activity")}  # fmt: skip
    assert requests == {None: "Two entries need work.", **asked}
    assert set(report.comments.values_list("report_version", flat=True)) == {1}
    client.force_login(people["contributor"])
    page = client.get(reverse("report-detail", args=[report.cycle.slug, "KAZ"])).content.decode()
    listed = page.split('id="requests"')[1].split("</section>")[0]
    assert all(text in listed for text in asked.values()) and "Our own note" not in page
    assert f"#entry-{entry(report, '1.2').pk}" in listed


def test_a_needs_change_mark_without_a_comment_stops_the_return(client, submitted, people):
    report = submitted
    client.force_login(people["secretariat"])
    client.post(mark_url(report, entry(report, "2.1")), {"verdict": "needs_change"})
    refused = client.post(decision_url(report, "return"), {"text": "See the marks."})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Activity 2.1 is marked “needs a change” without a comment" in page
    assert "See the marks.</textarea>" in page  # the typed summary is kept
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW and not report.comments.exists()
    assert client.post(decision_url(report, "return"), {"text": " "}).status_code == 400
    assert ReviewComment.objects.count() == 0


def test_accepting_with_entries_marked_needs_change_asks_for_confirmation(client, submitted,
                                                                          people):  # fmt: skip
    report = submitted
    client.force_login(people["secretariat"])
    client.post(mark_url(report, entry(report, "1.2")), {"verdict": "needs_change",
                                                        "comment": "Minor."})  # fmt: skip
    refused = client.post(decision_url(report, "accept"), {"text": ""})
    assert refused.status_code == 400
    assert "1 entry is marked “needs a change”. Tick “Accept even so”" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    accepted = client.post(decision_url(report, "accept"), {"text": "", "confirm": "1"})
    assert accepted.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and not report.comments.exists()


def test_accepting_a_report_with_no_open_mark_takes_one_click(client, submitted, people):
    client.force_login(people["secretariat"])
    assert client.post(decision_url(submitted, "accept"), {"text": "Well done."}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.ACCEPTED
    assert submitted.comments.get().text == "Well done."


def test_the_report_page_leads_the_secretariat_to_the_review(client, submitted, people):
    client.force_login(people["secretariat"])
    page = client.get(reverse("report-detail", args=[submitted.cycle.slug, "KAZ"])).content
    assert f'href="{review_url(submitted)}"' in page.decode()
    assert 'name="entry-' not in page.decode()  # no comment boxes on the report page any more
    client.force_login(people["national_focal_point"])
    page = client.get(reverse("report-detail", args=[submitted.cycle.slug, "KAZ"])).content
    assert review_url(submitted) not in page.decode()


# Page by page, every entry within reach


def test_the_review_is_paged_each_section_linking_to_where_it_starts(client, submitted,
                                                                     people):  # fmt: skip
    report = submitted
    client.force_login(people["secretariat"])
    ordered = list(report.entries.order_by("activity__position", "indicator__position"))
    assert len(ordered) > SECTION_ENTRIES
    first = client.get(review_url(report)).content.decode()
    assert first.count('class="card review-entry') == SECTION_ENTRIES
    assert "Page 1 of 3" in first and "1 entry needs a change" not in first
    assert "0 fine, 92 not marked" in first  # the tally counts the whole report on every page
    # Each section's row links to the page where its first entry is, with its anchor.
    for item in (ordered[0], ordered[SECTION_ENTRIES], ordered[-1]):
        slug = item.activity.section.slug
        page = ordered.index(item) // SECTION_ENTRIES + 1
        starts = next(e for e in ordered if e.activity.section.slug == slug)
        assert ordered.index(starts) // SECTION_ENTRIES + 1 <= page
        target = f"#s-{slug}" if ordered.index(starts) < SECTION_ENTRIES else (
            f"?page={ordered.index(starts) // SECTION_ENTRIES + 1}#s-{slug}")  # fmt: skip
        assert f'href="{target}"' in first, slug
    # A mark saved without JavaScript on page 3 comes back to page 3, at the entry.
    last = ordered[-1]
    third = client.get(review_url(report, "?page=3")).content.decode()
    assert f'id="entry-{last.pk}"' in third and f'id="entry-{ordered[0].pk}"' not in third
    assert '<input type="hidden" name="page" value="3">' in third
    saved = client.post(mark_url(report, last), {"verdict": "needs_change", "comment": "Why?",
                                                 "page": "3"})  # fmt: skip
    assert saved["Location"] == review_url(report, "?page=3") + f"#entry-{last.pk}"
    # A refused one shows the page that holds the entry, whatever page was asked for.
    refused = client.post(mark_url(report, last), {"verdict": "great", "comment": "x"})
    assert refused.status_code == 400
    assert f'id="entry-{last.pk}"' in refused.content.decode()
    assert "Page 3 of 3" in refused.content.decode()
    # The first entry without a mark is one link away; the marked last one is not it.
    assert f'href="#entry-{ordered[0].pk}">Go to the first entry without a mark' in (
        client.get(review_url(report, "?page=1")).content.decode()
    )  # fmt: skip


def test_changed_only_pages_the_changed_entries_with_the_filter_kept(client, resubmitted,
                                                                     people):  # fmt: skip
    report = resubmitted
    client.force_login(people["secretariat"])
    page = client.get(review_url(report, "?changed=1&page=2")).content.decode()
    assert page.count('class="card review-entry') == 2  # only one page: the last one is shown
    assert '<input type="hidden" name="changed" value="1">' in page
    sections = page.split('id="review-sections"')[1].split("</section>")[0]
    assert sections.count("<tr>") == 1 + 1  # the heading, and the one section with changes


# What changed since the version sent back


def test_a_resubmission_shows_what_changed_word_by_word(client, resubmitted, people):
    report = resubmitted
    client.force_login(people["secretariat"])
    page = client.get(review_url(report)).content.decode()
    assert "2 entries changed since version 1." in page
    changed = page.split(f'id="entry-{entry(report, "1.2").pk}"')[1].split("</section>")[0]
    assert "changed since version 1" in changed
    assert "<del>Two</del><ins>Three</ins> surveys done in <del>spring.</del>" in changed
    assert "<ins>spring and autumn &lt;script&gt;.</ins>" in changed  # escaped, never markup
    assert '<del class="status status-in_progress">In progress</del>' in changed
    assert '<ins class="status status-completed">Completed</ins>' in changed
    assert "Asked when version 1 was returned: Say which species." in changed
    assert "WWF" in changed  # unchanged answers are shown as they are
    other = page.split(f'id="entry-{entry(report, "1.3").pk}"')[1].split("</section>")[0]
    assert "<ins>Funding</ins>" in other
    unchanged = page.split(f'id="entry-{entry(report, "2.1").pk}"')[1].split("</section>")[0]
    assert "changed since" not in unchanged and "<ins>" not in unchanged
    assert "<script>" not in page.split('id="main"')[1].split("<script src=")[0]


def test_changed_only_shows_the_changed_entries_and_keeps_the_filter_after_a_mark(
    client, resubmitted, people
):
    report = resubmitted
    client.force_login(people["secretariat"])
    page = client.get(review_url(report, "?changed=1")).content.decode()
    shown = {e.pk for e in report.entries.all() if f'id="entry-{e.pk}"' in page}
    assert shown == {entry(report, "1.2").pk, entry(report, "1.3").pk}
    assert '<input type="hidden" name="changed" value="1">' in page
    assert 'aria-current="page">Changed only (2)' in page
    saved = client.post(mark_url(report, entry(report, "1.3")), {"verdict": "fine",
                                                                "changed": "1"})  # fmt: skip
    assert (
        saved["Location"] == review_url(report, "?changed=1") + f"#entry-{entry(report, '1.3').pk}"
    )


def test_a_first_submission_has_nothing_to_compare(client, submitted, people):
    client.force_login(people["secretariat"])
    page = every_page(client, review_url(submitted, "?changed=1"))
    assert "there is no earlier version to compare with" in page
    assert "changed since" not in page and "<ins>" not in page
    assert page.count('class="card review-entry') == submitted.entries.count()


def test_the_word_diff_marks_words_and_escapes_everything():
    assert review.word_diff("a <b> c", "a <i> c") == "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins> c"
    assert review.word_diff("", "new") == "<ins>new</ins>"
    assert review.word_diff("old words", "") == "<del>old words</del>"
    assert review.word_diff("same\nlines", "same\nlines") == "same\nlines"


# Bad input


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    ("body", "says"),
    [({"verdict": "great", "comment": "x"}, "Select a valid choice."),
     ({"verdict": "fine", "comment": "x" * 5001}, "at most 5000 characters"),
     ({"verdict": "fine", "comment": "nul\x00"}, "Null characters are not allowed.")],
)  # fmt: skip
def test_a_bad_mark_is_refused_with_a_sentence_and_nothing_stored(client, submitted, people,
                                                                  body, says, htmx):  # fmt: skip
    client.force_login(people["secretariat"])
    target = entry(submitted, "1.2")
    response = client.post(mark_url(submitted, target), body, headers=HTMX if htmx else {})
    assert response.status_code == 400
    page = response.content.decode()
    assert says in page and "Not saved:" in page
    if not htmx:
        assert "The mark on 1.2 was not saved" in page and f'href="#entry-{target.pk}"' in page
    assert not EntryReview.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_marks_and_decisions_that_do_not_exist_are_not_found(client, submitted, people, cycle):
    from conservation_units.models import RangeState

    client.force_login(people["secretariat"])
    other = services.open_report(cycle=cycle, range_state=RangeState.objects.get(iso3="UZB"),
                                 actor=people["secretariat"])  # fmt: skip
    stranger = other.entries.first()
    assert client.post(mark_url(submitted, stranger), {"verdict": "fine"}).status_code == 404
    assert client.post(decision_url(submitted, "delete"), {"text": "x"}).status_code == 404
    assert client.post(decision_url(submitted, "view"), {"text": "x"}).status_code == 404
    assert client.get(mark_url(submitted, entry(submitted, "1.2"))).status_code == 405
    with pytest.raises(ValidationError):
        review.mark_entry(entry=entry(submitted, "1.2"), actor=people["secretariat"],
                          verdict="perfect", comment="")  # fmt: skip
    assert not EntryReview.objects.exists()


# A fixed number of queries, whatever the size


@pytest.fixture
def busy_review(scaled_programme, cycle, report, people):
    """Kazakhstan's second version (10x entries at 10x): marks, evidence and earlier requests on
    20 x scale entries, each changed since version 1."""
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    busy = list(report.entries.select_related("activity")[: 20 * scaled_programme])
    for item in busy:
        review.mark_entry(entry=item, actor=people["secretariat"], verdict="needs_change",
                          comment="Check this.")  # fmt: skip
    services.return_report(report=report, actor=people["secretariat"], comment="Changes.")
    for item in busy:
        item.refresh_from_db()
        services.save_entry(entry=item, actor=people["contributor"], expected_revision=0,
                            data={"narrative": "New words here."})  # fmt: skip
        services.add_evidence(entry=item, actor=people["contributor"], url="https://example.org/e")
    services.submit_report(report=report, actor=people["national_focal_point"])
    for item in busy[::2]:
        review.mark_entry(entry=item, actor=people["secretariat"], verdict="fine", comment="")
    report.refresh_from_db()
    report.scale = scaled_programme
    return report


@pytest.mark.parametrize("query", ["", "?changed=1"])
def test_the_review_page_runs_a_fixed_number_of_queries(client, busy_review, people, query,
                                                        django_assert_max_num_queries):  # fmt: skip
    client.force_login(people["secretariat"])
    url = review_url(busy_review, query)
    with django_assert_max_num_queries(13):  # 11, and the paging: every entry's flags, sections
        page = client.get(url)
    assert page.status_code == 200
    shown = min(20 * busy_review.scale, SECTION_ENTRIES)  # the first page of entries
    assert page.content.decode().count('class="card review-entry changed"') == shown
    assert f"{20 * busy_review.scale} entries changed since version 1." in page.content.decode()


def test_a_saved_mark_answers_in_a_fixed_number_of_queries(
    client, busy_review, people, django_assert_max_num_queries
):
    client.force_login(people["secretariat"])
    url = mark_url(busy_review, busy_review.entries.first())
    with django_assert_max_num_queries(15):  # 4 of them savepoints
        saved = client.post(url, {"verdict": "fine"}, headers=HTMX)
    assert saved.status_code == 200


def test_a_second_reviewer_does_not_silently_overwrite_the_first(client, submitted, people):
    target = entry(submitted, "1.2")
    client.force_login(people["secretariat"])
    first = client.post(mark_url(submitted, target), {"verdict": "needs_change", "revision": 0,
                        "comment": "Say which surveys were done."}, headers=HTMX)  # fmt: skip
    assert first.status_code == 200 and 'data-mark-revision="1"' in first.content.decode()
    # A colleague who opened the page before that save marks the same entry from revision 0.
    colleague = Client()
    colleague.force_login(people["administrator"])
    stale = colleague.post(mark_url(submitted, target), {"verdict": "fine", "comment": "",
                           "revision": 0}, headers=HTMX)  # fmt: skip
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "saved another mark on this entry" in page and "Say which surveys were done." in page
    mark = EntryReview.objects.get(entry=target)
    assert (mark.verdict, mark.comment, mark.revision) == (
        "needs_change", "Say which surveys were done.", 1
    )  # fmt: skip
    # Saving again from the revision the refusal named replaces it knowingly.
    again = colleague.post(mark_url(submitted, target), {"verdict": "fine", "comment": "",
                           "revision": 1}, headers=HTMX)  # fmt: skip
    assert again.status_code == 200
    assert EntryReview.objects.get(entry=target).verdict == "fine"
    # Without JavaScript the page comes back with the refusal and the colleague's typing.
    plain = client.post(mark_url(submitted, target), {"verdict": "needs_change", "revision": 1,
                        "comment": "My own words, kept."})  # fmt: skip
    assert plain.status_code == 409 and "My own words, kept." in plain.content.decode()
