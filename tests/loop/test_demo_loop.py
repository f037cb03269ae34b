"""Demo data for the closing of the loop: annual-review audits on review plans only, and
family voice for audited plans, all marked synthetic and with both kinds of answer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from qa_app.services import demo
from qa_app.services.access import SYSTEM
from qa_app.store.models import Audit, FamilyVoice, Plan, RubricVersion


def test_demo_data_includes_synthetic_annual_review_audits_and_family_voice(sqlite_url):
    from qa_app.store.engine import session_factory

    with session_factory(sqlite_url)() as session:
        demo.seed_demo(session, SYSTEM, plans=90, seed=5, months=6, until=date(2026, 6, 30))
        session.commit()
        reviews = session.execute(
            select(Audit, Plan.plan_type)
            .join(Plan)
            .join(RubricVersion)
            .where(RubricVersion.rubric_key == "annual_review")
        ).all()
        assert reviews and all(a.is_synthetic and a.status == "submitted" for a, _ in reviews)
        assert {plan_type for _, plan_type in reviews} == {"annual_review"}
        voices = session.scalars(select(FamilyVoice)).all()
        assert voices and all(v.is_synthetic for v in voices)
        assert {v.respondent for v in voices} == {"parent_carer", "child_young_person"}
        answers = {v.listened_to for v in voices}
        assert {1, 2} & answers and {3, 4} & answers, "some families agree and some do not"
