"""The plan list filtered to plans flagged for weak outcomes, for QA leads and auditors."""

from __future__ import annotations

from qa_app.services.access import actor_for
from qa_app.services.flags import flag_all_plans
from qa_app.services.plans import PlanFilters, list_plans
from qa_app.store.models import Outcome, Plan, User, UserRole

STRONG = [
    "By the end of Year 4, Sam will read 40 of the 45 common exception words correctly in a dictation check.",
    "By July 2027, Sam will ask a peer to join his game at break, with one adult prompt, on three days a week.",
    "Within six months, Sam will fasten his own coat and shoes at home time without adult help.",
]
WEAK = [
    "Sam will receive speech and language therapy.",
    "Sam will improve his reading.",
    "Sam wants to be a footballer.",
]


def test_flagged_only_lists_just_the_flagged_plans(session):
    lead_user = User(username="lead", display_name="Lead", role_rows=[UserRole(role="qa_lead")])
    session.add(lead_user)
    for reference, texts in (
        ("PLN-STRONG1", STRONG),
        ("PLN-WEAK01", WEAK),
        ("PLN-SHORT1", STRONG[:1]),
    ):
        session.add(
            Plan(
                reference=reference,
                outcomes=[Outcome(position=i, text=text) for i, text in enumerate(texts)],
            )
        )
    session.add(Plan(reference="PLN-UNFLAG1"))
    session.flush()
    lead = actor_for(lead_user)

    _everything, total = list_plans(session, lead, PlanFilters())
    assert total == 4
    flag_all_plans(session)
    flagged, flagged_total = list_plans(session, lead, PlanFilters(flagged_only=True))
    assert sorted(plan.reference for plan in flagged) == ["PLN-SHORT1", "PLN-UNFLAG1", "PLN-WEAK01"]
    assert flagged_total == 3
    narrowed, _ = list_plans(session, lead, PlanFilters(reference="weak", flagged_only=True))
    assert [plan.reference for plan in narrowed] == ["PLN-WEAK01"]
