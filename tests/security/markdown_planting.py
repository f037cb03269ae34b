"""A real database with Markdown and HTML planted in every field of plan and user text
that pages show: outcome text, area and timescale, provision, sections, team, people's
names, evidence notes, strengths, moderation rationale. ``host`` is where a rendered
image or link would point (a test can listen there)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_app.benchmarks import workload
from qa_app.services import audits, moderation
from qa_app.services.access import OPERATOR, Actor, actor_for
from qa_app.services.accounts import add_user
from qa_app.store.engine import session_scope
from qa_app.store.models import Audit, Outcome, Plan, PlanSection, ProvisionItem

MARKER = "PLANTEDMD7"


def short_payload(host: str, where: str) -> str:
    """An image and a link in few characters, for names and other short fields."""
    return f"{MARKER} ![]({host}/{where}.png) [x]({host}/{where}-link)"


def payload(host: str, where: str) -> str:
    """Markdown and HTML that would fetch from, or link to, ``host`` if rendered."""
    return (
        f"{MARKER} {where} ![]({host}/{where}.png) [click]({host}/{where}-link) "
        f'<img src="{host}/{where}-tag.png"> <a href="{host}/{where}-a">a</a> {host}/{where}-bare '
        f"jo@school.example www.evil.example **bold** :red[red] $x$"
    )


@dataclass(frozen=True)
class Planted:
    url: str
    host: str
    lead: Actor
    first: Actor
    second: Actor
    plan_id: int
    audit_id: int
    moderation_id: int


def plant(url: str, host: str) -> Planted:
    with session_scope(url) as session:
        lead = actor_for(
            add_user(
                session,
                OPERATOR,
                "lead",
                "Lead " + short_payload(host, "lead"),
                {"qa_lead"},
                password=workload.PASSWORD,
            )
        )
        first, second = (
            actor_for(
                add_user(
                    session,
                    OPERATOR,
                    username,
                    f"{username} " + short_payload(host, username),
                    {"auditor"},
                    agency="education",
                    password=workload.PASSWORD,
                )
            )
            for username in ("first", "second")
        )
        plan = Plan(
            reference="PLN-PLANTED",
            year_group=5,
            key_stage="KS2",
            primary_need="ASD",
            plan_type="new",
            team=short_payload(host, "team")[:80],
            weak_flag=True,
            weak_flag_reason=payload(host, "flag-reason"),
            sections=[
                PlanSection(letter=letter, position=i, text=payload(host, f"section-{letter}"))
                for i, letter in enumerate(["A", "B", "E", "F"])
            ],
            outcomes=[
                Outcome(
                    position=0,
                    text=payload(host, "outcome"),
                    area=short_payload(host, "area"),
                    timescale=short_payload(host, "time"),
                    weak=True,
                    p_weak=0.9,
                    reasons="provision written as an outcome",
                )
            ],
            provision=[ProvisionItem(position=0, section="F", text=payload(host, "provision"))],
        )
        session.add(plan)
        session.flush()
        pair = workload.assign(
            session, lead, [plan.id], [first, second], double_rate_pct=100, name="Planted"
        )
        by_auditor = {session.get(Audit, audit_id).auditor_id: audit_id for audit_id in pair}
        for actor in (first, second):
            audit_id = by_auditor[actor.user_id]
            version = workload.fill(session, actor, audit_id, level=3 if actor is first else 2)
            view = audits.open_audit(session, actor, audit_id)
            for criterion in view.criteria:
                version, _ = audits.save_score(
                    session,
                    actor,
                    audit_id,
                    criterion.id,
                    expected_version=version,
                    note=payload(host, f"note{actor.display_name.split()[0]}"),
                )
            for field in audits.TEXT_FIELDS:
                version = audits.save_text(
                    session, actor, audit_id, field, payload(host, field), expected_version=version
                )
            audits.submit(session, actor, audit_id, expected_version=version)
        moderation_id = moderation.start_moderation(session, lead, by_auditor[first.user_id])
        return Planted(
            url, host, lead, first, second, plan.id, by_auditor[first.user_id], moderation_id
        )


_ESCAPED = re.compile(r"\\.")
# Images, links, HTML tags, Streamlit colour directives and maths, in the source; the
# app's own bold labels (**Outcome 1.**) are allowed around the text.
_MARKUP = re.compile(r"!\[|\]\(|<\s*[A-Za-z/!]|:red\[|\$")
# Bare addresses that GitHub-flavoured Markdown links in the parsed text, escapes undone.
_AUTOLINK = re.compile(r"(?i)https?://|www\.|[\w.+-]@[\w-]")


def live_markup(markdown: str) -> list[str]:
    """The Markdown or HTML constructs, and bare addresses, that would render as markup
    or links from a Markdown string."""
    parsed_text = re.sub(r"\\(.)", r"\1", markdown)
    return _MARKUP.findall(_ESCAPED.sub("", markdown)) + _AUTOLINK.findall(parsed_text)
