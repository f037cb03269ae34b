"""Use cases. Each takes the acting user and a session, checks permission and records
what it changes in the event log in the same transaction. Never imports Streamlit.

Errors a user can cause are ``ServiceError`` subclasses with plain messages::

    ServiceError
     ├── PermissionDenied   the acting user's role does not allow this
     ├── NotFound           no such record (or not one this user may see)
     ├── InvalidInput       the request itself is wrong; the message says how
     └── StaleVersion       someone else saved first; ``changes`` says what they changed
"""
