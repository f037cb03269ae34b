"""Vocabularies that describe a plan: needs, key stages, settings, agencies, sections."""

from __future__ import annotations

SECTION_LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]

SECTION_TITLES = {
    "A": "Views, interests and aspirations",
    "B": "Special educational needs",
    "C": "Health needs",
    "D": "Social care needs",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health provision",
    "H1": "Social care provision (CSDPA 1970 s2)",
    "H2": "Other social care provision",
    "H": "Social care provision (H1 and H2 combined)",
    "I": "Placement",
    "J": "Personal budget",
    "K": "Advice and information",
}

PRIMARY_NEEDS = {
    "ASD": "Autistic spectrum disorder",
    "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SpLD": "Specific learning difficulty",
    "HI": "Hearing impairment",
    "VI": "Visual impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "OTH": "Other difficulty or disability",
    "NSA": "No specialist assessment",
}

KEY_STAGES = ["EYFS", "KS1", "KS2", "KS3", "KS4", "Post-16", "Post-19"]

SETTING_TYPES = {
    "mainstream": "Mainstream",
    "resourced_provision": "Resourced provision",
    "special": "Special school",
    "independent": "Independent",
    "fe_college": "FE college",
    "alternative_provision": "Alternative provision",
    "none": "None",
}

PLAN_TYPES = {"new": "New plan", "annual_review": "Annual review"}

AGENCIES = {"education": "Education", "health": "Health", "social_care": "Social care"}

PFA_DOMAINS = [
    "Employment and further education",
    "Independent living",
    "Community inclusion",
    "Health",
]

NEED_AREAS = [
    "Communication and interaction",
    "Cognition and learning",
    "Social, emotional and mental health",
    "Sensory and/or physical",
]


def key_stage_for_year_group(year_group: int | None) -> str | None:
    """Year groups: Reception is 0, nursery -1 and younger; Year 14 and above is post-19."""
    if year_group is None:
        return None
    if year_group <= 0:
        return "EYFS"
    if year_group <= 2:
        return "KS1"
    if year_group <= 6:
        return "KS2"
    if year_group <= 9:
        return "KS3"
    if year_group <= 11:
        return "KS4"
    if year_group <= 13:
        return "Post-16"
    return "Post-19"
