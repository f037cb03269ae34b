"""Reading EHC plans from Word files.

``read_plan`` and ``read_plan_file`` return a ``ParsedPlan`` whose every text is already
redacted, or raise ``PlanRefused`` (the only error they raise) with a one-line reason.
``expand_upload`` opens an uploaded .zip of plans into its members.
"""

from qa_app.ingest.archive import expand_upload
from qa_app.ingest.errors import PlanRefused
from qa_app.ingest.header import PlanMetadata
from qa_app.ingest.outcomes import Outcome, Provision
from qa_app.ingest.plan import ParsedPlan, display_name, read_plan, read_plan_file

__all__ = [
    "Outcome",
    "ParsedPlan",
    "PlanMetadata",
    "PlanRefused",
    "Provision",
    "display_name",
    "expand_upload",
    "read_plan",
    "read_plan_file",
]
