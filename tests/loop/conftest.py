"""The audit tests' people, plan and assignment helpers, shared here."""

from tests.audit.conftest import assign, fill, team  # noqa: F401 (fixtures)
