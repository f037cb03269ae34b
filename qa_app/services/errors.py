"""Errors the user can cause, raised by services and shown by the UI as plain messages."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: the message is written for the person using the app."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class StaleVersion(ServiceError):
    def __init__(self, message: str, changes: list[str] | None = None):
        super().__init__(message)
        self.changes = changes or []


class DemoDatabase(ServiceError):
    """Real work (real people, real plans) asked of a demo database, or demo data asked of
    a real one."""
