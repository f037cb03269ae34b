"""Reading one uploaded plan: from the file's bytes to redacted sections, outcomes,
provision and metadata. Nothing here writes anywhere; the original bytes are dropped once
read."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from qa_app.domain.redaction import Redactor
from qa_app.ingest.blocks import Block, block_text, read_blocks
from qa_app.ingest.errors import PlanRefused
from qa_app.ingest.header import PlanMetadata, plan_metadata, read_header
from qa_app.ingest.national import Need, is_national_template, read_national
from qa_app.ingest.outcomes import Outcome, Provision, read_outcomes, read_provision
from qa_app.ingest.package import MAX_FILE_BYTES, check_file_name, check_package
from qa_app.ingest.pdf_blocks import read_pdf_blocks
from qa_app.ingest.pdf_checks import check_pdf
from qa_app.ingest.sections import SECTION_ORDER, SectionSplit, section_keys_missing, split_sections


@dataclass(frozen=True)
class ParsedPlan:
    """A plan as read, every text already redacted. ``file`` is the redacted base name."""

    file: str
    sections: dict[str, str]
    outcomes: list[Outcome]
    provision: list[Provision]
    metadata: PlanMetadata
    warnings: list[str] = field(default_factory=list)
    # Numbered needs, where the plan numbers them (the national template); else empty.
    needs: list[Need] = field(default_factory=list)

    def to_json(self, verdicts=None) -> dict:
        """The reading as JSON; ``verdicts`` (one per outcome, from the classifier) add
        ``weak``, ``p_weak`` and ``reasons`` to each outcome."""
        outcomes = []
        for index, o in enumerate(self.outcomes):
            item = {
                "text": o.text,
                "area": o.area,
                "timescale": o.timescale,
                "steps": list(o.steps),
                "need_area": o.need_area,
            }
            if o.link:
                item["link"] = o.link
            if verdicts is not None:
                verdict = verdicts[index]
                item.update(
                    weak=verdict.weak,
                    p_weak=round(verdict.p_weak, 4),
                    reasons=list(verdict.reasons),
                )
            outcomes.append(item)
        return {
            "file": self.file,
            "sections": dict(self.sections),
            "outcomes": outcomes,
            "provision": [_provision_json(p) for p in self.provision],
            "metadata": self.metadata.to_json(),
            "warnings": list(self.warnings),
        }


def _provision_json(item: Provision) -> dict:
    found = {"text": item.text, "section": item.section}
    if item.area:
        found["area"] = item.area
    if item.link:
        found["link"] = item.link
    return found


def display_name(name: str) -> str:
    """The base name of a path, which is all that error messages and output show."""
    return os.path.basename(name.replace("\\", "/")) or "file"


def read_plan_file(path: str | Path, audit_date: date | None = None) -> ParsedPlan:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PlanRefused("file is over 25 MB")
        data = path.read_bytes()
    except IsADirectoryError:
        raise PlanRefused("not a file") from None
    except FileNotFoundError:
        raise PlanRefused("file not found") from None
    except PermissionError:
        raise PlanRefused("file cannot be read (permission denied)") from None
    except OSError:
        raise PlanRefused("file cannot be read") from None
    if path.suffix.lower() in (".docm", ".dotm"):
        raise PlanRefused("macro-enabled document (.docm) is not accepted")
    return read_plan(data, path.name, audit_date)


def is_pdf_name(file_name: str) -> bool:
    return file_name.lower().endswith(".pdf")


def read_plan(data: bytes, file_name: str, audit_date: date | None = None) -> ParsedPlan:
    """Read a .docx or .pdf plan (by its name's extension); raise ``PlanRefused`` with a
    one-line reason if it cannot be."""
    check_file_name(file_name)
    if is_pdf_name(file_name):
        check_pdf(data)
    else:
        check_package(data)
    try:
        return _read_checked(data, file_name, audit_date or date.today())
    except PlanRefused:
        raise
    # A reader bug met by an odd document must not crash a batch, nor let a traceback
    # carry the document's text into a log; the type name alone is safe to show.
    except Exception as error:
        raise PlanRefused(f"could not be read (internal error {type(error).__name__})") from None


def _read_checked(data: bytes, file_name: str, audit_date: date) -> ParsedPlan:
    blocks = read_pdf_blocks(data) if is_pdf_name(file_name) else read_blocks(data)
    if not any(block_text(block) for block in blocks):
        raise PlanRefused("empty document")
    if is_national_template(blocks):
        national = read_national(blocks)
        split, found_outcomes, found_provision, found_needs = (
            national.split,
            national.outcomes,
            national.provision,
            national.needs,
        )
    else:
        split = split_sections(blocks)
        found_outcomes = read_outcomes(split.sections.get("E", []))
        found_provision, found_needs = _provision(split), []
    if not split.sections:
        raise PlanRefused("no recognisable sections")

    header = read_header(blocks)
    redactor = Redactor(header.identifiers)
    sections = {
        key: redactor.redact(_section_text(split.sections[key]))
        for key in SECTION_ORDER
        if key in split.sections
    }
    outcomes = [
        Outcome(
            redactor.redact(o.text),
            redactor.redact(o.area),
            redactor.redact(o.timescale),
            tuple(redactor.redact(step) for step in o.steps),
            o.link,
        )
        for o in found_outcomes
    ]
    provision = [
        Provision(redactor.redact(item.text), item.section, redactor.redact(item.area), item.link)
        for item in found_provision
    ]
    needs = [Need(redactor.redact(n.text), n.section, n.area, n.link) for n in found_needs]
    setting = redactor.redact(header.setting) if header.setting else None
    return ParsedPlan(
        file=redactor.redact(display_name(file_name)),
        sections=sections,
        outcomes=outcomes,
        provision=provision,
        metadata=plan_metadata(
            header,
            audit_date,
            setting,
            placement=sections.get("I", ""),
            needs=sections.get("B", ""),
        ),
        warnings=_warnings(split, sections, outcomes, provision),
        needs=needs,
    )


# A section that says it holds nothing ("No provision is required", "None", "N/A").
_NOTHING = re.compile(
    r"^(?:no\b|none\b|n/?a\b|not\s+(?:applicable|required)\b|nil\b)", re.IGNORECASE
)


def _provision(split: SectionSplit) -> list[Provision]:
    """Provision items of F, G, H1 and H2. A combined section H is read as H2, other
    social care provision, since nothing in it says which items fall under the CSDPA."""
    items = []
    for key in ("F", "G", "H1", "H2", "H"):
        section = "H2" if key == "H" else key
        for text in read_provision(split.sections.get(key, [])):
            if key != "F" and _NOTHING.match(text):
                continue
            items.append(Provision(text, section))
    return items


def _section_text(blocks: list[Block]) -> str:
    return "\n".join(text for text in (block_text(block) for block in blocks) if text)


def _warnings(
    split: SectionSplit,
    sections: dict[str, str],
    outcomes: list[Outcome],
    provision: list[Provision],
) -> list[str]:
    warnings = [f"section {key} not found" for key in section_keys_missing(set(sections))]
    if "H" in sections:
        warnings.append("sections H1 and H2 are combined in one section H")
    warnings.extend(
        f"section {key} appears in more than one place; its parts are joined"
        for key in SECTION_ORDER
        if key in split.repeated
    )
    warnings.extend(f"section {key} is empty" for key, text in sections.items() if not text.strip())
    if "E" in sections and not outcomes:
        warnings.append("no outcomes found in section E")
    if "F" in sections and not any(item.section == "F" for item in provision):
        warnings.append("no provision items found in section F")
    return warnings
