"""Human labels for stored codes."""

from __future__ import annotations

from qa_app.domain import plan_facts
from qa_app.services.access import ROLES

ALL = {
    "role": ROLES,
    "primary_need": plan_facts.PRIMARY_NEEDS,
    "setting_type": plan_facts.SETTING_TYPES,
    "plan_type": plan_facts.PLAN_TYPES,
    "agency": {**plan_facts.AGENCIES, "any": "Any agency"},
}

# The key stages by the school years they span (plan_facts.key_stage_for_year_group).
KEY_STAGE_MEANINGS = {
    "EYFS": "early years foundation stage, to Reception",
    "KS1": "key stage 1, Years 1 and 2",
    "KS2": "key stage 2, Years 3 to 6",
    "KS3": "key stage 3, Years 7 to 9",
    "KS4": "key stage 4, Years 10 and 11",
    "Post-16": "Years 12 and 13",
    "Post-19": "Year 14 and above",
}


def label(kind: str, code) -> str:
    if code is None or code == "":
        return "—"
    return ALL.get(kind, {}).get(code, str(code))


def roles_label(roles) -> str:
    """A person's roles in words, in a fixed order: "Admin, QA lead"."""
    return ", ".join(label("role", r) for r in sorted(roles))


def need_label(code) -> str:
    return (
        f"{code} — {plan_facts.PRIMARY_NEEDS[code]}"
        if code in plan_facts.PRIMARY_NEEDS
        else label("primary_need", code)
    )


def year_group_label(year_group: int | None) -> str:
    if year_group is None:
        return "—"
    if year_group < 0:
        return "Nursery"
    if year_group == 0:
        return "Reception"
    return f"Year {year_group}"
