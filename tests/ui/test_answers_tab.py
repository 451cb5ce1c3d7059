"""The Answers tab with the real widgets (pytest-qt): replies made by vobject (never by our
own writer) are imported through the replies service, then the tab shows the counts per
event and for the visit, who answered what and when, "sent by" for a calendar manager,
and a COUNTER as a proposal only.  "Remind those who have not answered" sends the
current REQUEST again, through a real SMTP server on loopback, to the attendees still at
NEEDS-ACTION only."""

from __future__ import annotations

import pytest

from protocol_app.config import Settings
from tests.support.imip import check_imip
from tests.support.modals import answer_modal
from tests.support.readers import read_icalendar
from tests.support.replies import AMBASSADOR, ASSISTANT, CALL, CONSUL, OKAFOR, PRESIDENT
from ui.pages.answers import (
    ACCEPTED,
    DECLINED,
    EVENT,
    TENTATIVE,
    WAITING,
    AnswersTab,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")


def _open(qtbot, services) -> AnswersTab:
    tab = AnswersTab(services)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    with qtbot.waitSignal(tab.loaded, timeout=15_000):
        tab.show()
        tab.set_visit(services.visits.get(CALL))
    return tab


def _counts(tab: AnswersTab, title_part: str) -> tuple[str, ...]:
    for i in range(tab.events.topLevelItemCount()):
        row = tab.events.topLevelItem(i)
        if row.data(EVENT, 256).event_ref == title_part:
            return tuple(row.text(c) for c in (ACCEPTED, DECLINED, TENTATIVE, WAITING))
    raise AssertionError(title_part)


def test_the_tab_shows_the_answers_imported(qtbot, demo_services, answered_call) -> None:
    tab = _open(qtbot, demo_services)
    assert "16 invitations held" in tab.summary.text()
    assert "0 accepted, 0 declined, 0 tentative, 16 waiting" in tab.summary.text()
    assert _counts(tab, "c04") == ("0", "0", "0", "6")

    report = demo_services.replies.import_paths([answered_call])
    assert report.ok and len(report.recorded) == 4
    with qtbot.waitSignal(tab.loaded, timeout=15_000):
        tab.reload()
    assert "1 accepted, 1 declined, 1 tentative, 13 waiting" in tab.summary.text()
    assert _counts(tab, "c04") == ("1", "1", "1", "3")
    assert _counts(tab, "c02") == ("0", "0", "0", "5")
    arrival = [tab.events.topLevelItem(i) for i in range(tab.events.topLevelItemCount())
               if tab.events.topLevelItem(i).data(EVENT, 256).counts.invited == 0]
    assert arrival and all(r.text(ACCEPTED) == "–" for r in arrival)  # none invited

    c04 = next(e for e in tab.answers.events if e.event_ref == "c04")
    tab.select_event(c04.event_id)
    rows = {r[1]: r for r in tab.people_rows()}
    assert set(rows) == {a.email for a in c04.answers}
    assert rows[AMBASSADOR][2] == "Accepted" and rows[AMBASSADOR][4] == ASSISTANT
    assert rows[CONSUL][2] == "Declined" and rows[CONSUL][4] == ""
    assert rows[PRESIDENT][2] == "Tentative" and rows[PRESIDENT][3]  # time received
    # a COUNTER is a proposal, never an answer: Mr Okafor is still waiting
    assert rows[OKAFOR][2] == "Waiting" and rows[OKAFOR][3] == ""
    (line,) = tab.proposal_lines()
    assert line.startswith(f"{c04.event_title}: ") and " proposes " in line
    assert tab.proposals.isVisible()
    moved = next(e for e in demo_services.events.list(CALL) if e.ref == "c04")
    assert moved.start_utc == c04.start_utc  # never applied
    assert tab.remind_button.isEnabled()


def test_remind_sends_the_invitation_again_to_those_waiting_only(
        qtbot, demo_services, answered_call, smtp_server) -> None:
    settings = Settings.load()
    settings.smtp_host, settings.smtp_port = smtp_server.host, smtp_server.port
    settings.smtp_security, settings.smtp_user = "none", ""
    settings.save()
    demo_services.invites.settings = settings  # as Preferences does once saved
    demo_services.replies.import_paths([answered_call])
    tab = _open(qtbot, demo_services)
    assert "13 waiting" in tab.summary.text()

    clicked = answer_modal("Cancel")  # the confirmation names the count; cancelling sends none
    with qtbot.waitSignal(tab.remindFinished, timeout=30_000):
        tab.remind_button.click()
    assert clicked == ["confirmRemind"] and smtp_server.received == []
    assert tab.status.text() == "No reminders sent."

    clicked = answer_modal("Send 13 reminders")
    with qtbot.waitSignal(tab.remindFinished, timeout=30_000) as blocker:
        tab.remind_button.click()
    assert clicked == ["confirmRemind"]
    report = blocker.args[0]
    assert not isinstance(report, BaseException), report
    assert report.ok and len(report.delivered) == 13
    assert tab.status.text() == "Sent 13 reminders."
    assert len(smtp_server.received) == 13
    by_uid: dict[str, set[str]] = {}
    for received in smtp_server.received:
        method, calendar = check_imip(received.message)
        assert method == "REQUEST"
        (event,) = read_icalendar(calendar).events
        assert event.sequence == 0  # the invitation they hold, unchanged
        by_uid.setdefault(event.uid, set()).update(a.lower() for a in received.rcpt_tos)
    uid = next(e for e in demo_services.events.list(CALL) if e.ref == "c04").uid
    assert by_uid[uid] == {OKAFOR, "n.benami@alderbrook.example.edu",
                        "m.wisniewska@alderbrook.example.edu"}
    answered_now = {AMBASSADOR, ASSISTANT, CONSUL, PRESIDENT}
    assert not answered_now & by_uid[uid]
    # the ambassador's other invitations, unanswered, go to his assistant again
    assert any(ASSISTANT in {a.lower() for a in r.rcpt_tos} for r in smtp_server.received)
    qtbot.waitUntil(lambda: not tab.busy, timeout=15_000)
    # nobody answered since: the same 13 still wait (a reminder asks, it does not answer)
    assert "13 waiting" in tab.summary.text()
