"""Local accounts and single sign-on: who may sign in, as whom, and with which roles.

Passwords are hashed with argon2 and never stored, logged or shown. Failed sign-ins are
limited per account and client address, per address and overall (``lockout``); every
failure, whatever its cause, gets the same answer after the same password hash work, so
neither the answer nor its timing tells whether an account exists or is locked. Every
sign-in, failed sign-in and account change is written to the event log.

Demo accounts are the synthetic users of the demo data. They can sign in only in a demo
database (see ``database_kind``), which alone gives them their published password; in a
real database their passwords are removed and they cannot sign in at all. A demo
database takes no real accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from qa_app.domain import plan_facts
from qa_app.services import browser_sessions, database_kind, event_log, lockout
from qa_app.services.access import ROLES, SYSTEM, Action, Actor, actor_for, require
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.events import (
    DemoPasswordChanged,
    PasswordReset,
    RolesChanged,
    SignedIn,
    SignedOut,
    SignInFailed,
    UserCreated,
    UserDisabled,
    UserEnabled,
    UserUnlocked,
)
from qa_app.services.text_input import (
    DISPLAY_NAME_LIMIT,
    EMAIL_LIMIT,
    PASSWORD_LIMIT,
    USERNAME_LIMIT,
    clean_text,
    refuse_nul,
)
from qa_app.store.models import User, UserRole

MAX_FAILED_SIGN_INS = lockout.ACCOUNT_FAILURES
LOCKOUT = lockout.WINDOW
MIN_PASSWORD_LENGTH = 12
DEMO_PASSWORD = "demo-synthetic-only"
DEMO_SIGN_IN_ACCOUNTS = ("demo_qa_lead", "demo_auditor", "demo_training", "demo_admin")
WRONG_CREDENTIALS = (
    "That username and password do not match an active account, or there have been too many "
    f"failed sign-ins from here: check them, or wait {int(LOCKOUT.total_seconds() // 60)} minutes."
)

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that a wrong username takes as long
# to refuse as a wrong password and does not reveal which accounts exist.
_DECOY_HASH = _hasher.hash("decoy password that no account has")


@dataclass(frozen=True)
class SignInResult:
    """An actor when sign-in succeeded; otherwise a message fit to show the person."""

    actor: Actor | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.actor is not None


@dataclass(frozen=True)
class Identity:
    """What single sign-on tells us about a person (the ``st.user`` claims we use)."""

    subject: str | None
    email: str | None
    name: str | None = None
    claim_roles: tuple[str, ...] | None = None
    claim_agency: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def is_locked(session: Session, user: User, now: datetime | None = None) -> bool:
    """Whether password sign-in to the account is refused from some client address."""
    return lockout.locked_addresses(session, user.id, now or _now()) > 0


def locked_usernames(session: Session, actor: Actor, now: datetime | None = None) -> set[str]:
    require(actor, Action.SEE_USERS)
    return {
        user.username for user in session.scalars(select(User)) if is_locked(session, user, now)
    }


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_new_password(password: str) -> None:
    refuse_nul(password, "The password", PASSWORD_LIMIT)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if password.strip() != password:
        raise InvalidInput("A password cannot start or end with a space.")


def _password_matches(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DECOY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _any_of(names) -> str:
    """``["A", "B", "C"]`` as "A, B or C"."""
    *rest, last = names
    return f"{', '.join(rest)} or {last}" if rest else last


def _clean_roles(roles, agency: str | None) -> tuple[frozenset[str], str | None]:
    roles = frozenset(roles)
    unknown = roles - set(ROLES)
    if unknown or not roles:
        raise InvalidInput(f"Choose one or more roles: {_any_of(ROLES.values())}.")
    if "auditor" in roles:
        if agency not in plan_facts.AGENCIES:
            raise InvalidInput(
                f"An auditor needs an agency: {_any_of(plan_facts.AGENCIES.values())}."
            )
        return roles, agency
    return roles, None


def _user_named(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound("There is no account with that username.")
    return user


def has_accounts(session: Session) -> bool:
    """Whether any real account exists; without one, the first admin must be created on
    the command line."""
    real = select(User.id).where(User.is_synthetic.is_(False), User.is_active.is_(True)).limit(1)
    return session.scalar(real) is not None


def list_users(session: Session, actor: Actor) -> list[User]:
    require(actor, Action.SEE_USERS)
    return list(session.scalars(select(User).order_by(User.is_synthetic, User.username)))


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    display_name: str,
    roles,
    *,
    agency: str | None = None,
    email: str | None = None,
    password: str | None = None,
) -> User:
    """A new account. Without a password it can sign in only through single sign-on."""
    require(actor, Action.ADD_USERS)
    database_kind.refuse_in_demo(session, "adding an account")
    username = (
        clean_text(username, "The username", USERNAME_LIMIT, single_line=True).strip().lower()
    )
    display_name = clean_text(
        display_name, "The person's name", DISPLAY_NAME_LIMIT, single_line=True
    )
    email = clean_text(email, "The email address", EMAIL_LIMIT, single_line=True) if email else None
    if not username or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise InvalidInput(
            "A username may hold only letters, digits, dots, dashes and underscores."
        )
    if not display_name.strip():
        raise InvalidInput("Give the person's name as it should appear in the app.")
    roles, agency = _clean_roles(roles, agency)
    email = email.strip().lower() if email and email.strip() else None
    same = (
        User.username == username
        if email is None
        else or_(User.username == username, User.email == email)
    )
    if session.scalar(select(User.id).where(same)) is not None:
        raise InvalidInput("An account with that username or email address already exists.")
    if password is not None:
        check_new_password(password)
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=email,
        agency=agency,
        password_hash=hash_password(password) if password is not None else None,
        role_rows=[UserRole(role=role) for role in sorted(roles)],
    )
    session.add(user)
    session.flush()
    event_log.record(
        session,
        actor,
        UserCreated(
            user.id,
            new=sorted(roles),
            detail={"agency": agency, "password_set": password is not None},
        ),
    )
    return user


def _active_admins(session: Session) -> list[User]:
    query = (
        select(User)
        .join(UserRole)
        .where(UserRole.role == "admin", User.is_active.is_(True), User.is_synthetic.is_(False))
    )
    return list(session.scalars(query))


def disable_user(session: Session, actor: Actor, username: str) -> User:
    require(actor, Action.DISABLE_USERS)
    user = _user_named(session, username)
    if user.id == actor.user_id:
        raise InvalidInput("You cannot disable your own account.")
    if not user.is_active:
        return user
    if "admin" in user.roles and [u.id for u in _active_admins(session)] == [user.id]:
        raise InvalidInput(
            "This is the last active administrator: add another before disabling it."
        )
    user.is_active = False
    browser_sessions.revoke_all(session, user.id, "account disabled")
    event_log.record(session, actor, UserDisabled(user.id, old=True, new=False))
    return user


def enable_user(session: Session, actor: Actor, username: str) -> User:
    require(actor, Action.ENABLE_USERS)
    user = _user_named(session, username)
    if user.is_active:
        return user
    user.is_active = True
    lockout.unlock(session, user.id)
    event_log.record(session, actor, UserEnabled(user.id, old=False, new=True))
    return user


def reset_password(session: Session, actor: Actor, username: str, new_password: str) -> User:
    """Set a new password, lift any lockout and end the account's sessions. The log
    says that it changed, not to what."""
    require(actor, Action.RESET_PASSWORDS)
    user = _user_named(session, username)
    if user.is_synthetic:
        raise InvalidInput("Demo accounts keep their published demo password.")
    check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    lockout.unlock(session, user.id)
    ended = browser_sessions.revoke_all(session, user.id, "password reset")
    event_log.record(
        session,
        actor,
        PasswordReset(
            user.id,
            detail={"change": "password reset", "sessions_ended": ended},
        ),
    )
    return user


def unlock_user(session: Session, actor: Actor, username: str) -> User:
    """Lift the account's lockout from every client address, keeping its password."""
    require(actor, Action.UNLOCK_USERS)
    user = _user_named(session, username)
    failures = lockout.unlock(session, user.id)
    event_log.record(
        session,
        actor,
        UserUnlocked(
            user.id,
            old="failures counted",
            new="unlocked",
            detail={"failures_forgotten": failures},
        ),
    )
    return user


def set_roles(
    session: Session, actor: Actor, username: str, roles, agency: str | None = None
) -> User:
    require(actor, Action.CHANGE_ROLES)
    user = _user_named(session, username)
    roles, agency = _clean_roles(roles, agency)
    if user.id == actor.user_id and "admin" not in roles:
        raise InvalidInput("You cannot remove your own admin role.")
    old_roles, old_agency = sorted(user.roles), user.agency
    if old_roles == sorted(roles) and old_agency == agency:
        return user
    user.role_rows = [UserRole(role=role) for role in sorted(roles)]
    user.agency = agency
    event_log.record(
        session,
        actor,
        RolesChanged(
            user.id,
            old=old_roles,
            new=sorted(roles),
            detail={"agency": [old_agency, agency]},
        ),
    )
    return user


def sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    client: str | None = None,
    now: datetime | None = None,
) -> SignInResult:
    """Check a username and password from a client address. Every failure, whatever
    its cause, does the same password hash work and gets the same answer; the log says
    the cause. The caller commits."""
    now = now or _now()
    try:
        username = clean_text(username, "The username", USERNAME_LIMIT, single_line=True)
        refuse_nul(password, "The password", PASSWORD_LIMIT)
    except InvalidInput as refusal:
        _password_matches(None, password)
        event_log.record(
            session, SYSTEM, SignInFailed(None, detail="username or password refused as input")
        )
        return SignInResult(None, str(refusal))
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    matches = _password_matches(user.password_hash if user is not None else None, password)
    refused = lockout.refusal(session, user.id if user is not None else None, client, now)
    usable = (
        user is not None
        and user.is_active
        and (not user.is_synthetic or database_kind.is_demo(session))
    )
    if user is None or refused or not usable or not matches:
        locks = lockout.record_failure(session, user.id if user is not None else None, client, now)
        if user is None:
            reason = "unknown username"
        else:
            reason = refused or ("wrong password" if usable else "account not usable")
        if locks:
            reason += f"; locked for {int(LOCKOUT.total_seconds() // 60)} minutes from this client address"
        actor = actor_for(user) if user is not None else SYSTEM
        event_log.record(
            session, actor, SignInFailed(user.id if user is not None else None, detail=reason)
        )
        return SignInResult(None, WRONG_CREDENTIALS)
    assert user.password_hash is not None  # the password matched it
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    lockout.forget_success(session, user.id, client)
    user.last_sign_in_at = now
    actor = actor_for(user)
    event_log.record(session, actor, SignedIn(user.id, detail="password"))
    return SignInResult(actor)


def _user_for_identity(session: Session, identity: Identity) -> User | None:
    if identity.subject:
        user = session.scalar(select(User).where(User.oidc_subject == identity.subject))
        if user is not None:
            return user
    if identity.email:
        user = session.scalar(
            select(User).where(func.lower(User.email) == identity.email.strip().lower())
        )
        if user is not None and user.oidc_subject in (None, identity.subject):
            return user
    return None


def sign_in_with_identity(
    session: Session, identity: Identity, *, now: datetime | None = None
) -> SignInResult:
    """Single sign-on: match the identity to an account by subject, then by email.

    When a role claim is configured (``identity.claim_roles`` is not None) the claim sets
    the roles, and a person the claim names but the users table does not yet hold gets
    an account. Otherwise the roles come from the users table alone.
    """
    now = now or _now()
    user = _user_for_identity(session, identity)
    claimed = None
    if identity.claim_roles is not None:
        claimed = frozenset(identity.claim_roles) & set(ROLES)
        if not claimed:
            event_log.record(
                session,
                SYSTEM,
                SignInFailed(
                    user.id if user else None,
                    detail="single sign-on: no role in the role claim",
                ),
            )
            return SignInResult(
                None, "Your organisation account has no role in this app. Ask an administrator."
            )
    if user is None and claimed:
        user = _provision(session, identity, claimed)
    if user is None or not user.is_active or user.is_synthetic:
        event_log.record(
            session,
            SYSTEM,
            SignInFailed(
                user.id if user else None,
                detail="single sign-on: no active account for this identity",
            ),
        )
        return SignInResult(
            None, "Your organisation account is not set up for this app. Ask an administrator."
        )
    if claimed and (
        claimed != user.roles or (identity.claim_agency and identity.claim_agency != user.agency)
    ):
        agency = identity.claim_agency or user.agency
        if "auditor" in claimed and agency not in plan_facts.AGENCIES:
            event_log.record(
                session,
                SYSTEM,
                SignInFailed(
                    user.id,
                    detail="single sign-on: auditor role without an agency",
                ),
            )
            return SignInResult(
                None, "Your account has the auditor role but no agency. Ask an administrator."
            )
        event_log.record(
            session,
            SYSTEM,
            RolesChanged(
                user.id,
                old=sorted(user.roles),
                new=sorted(claimed),
                detail="from the single sign-on role claim",
            ),
        )
        user.role_rows = [UserRole(role=role) for role in sorted(claimed)]
        user.agency = agency if "auditor" in claimed else None
        session.flush()
    if identity.subject and user.oidc_subject is None:
        user.oidc_subject = identity.subject
    user.last_sign_in_at = now
    actor = actor_for(user)
    event_log.record(session, actor, SignedIn(user.id, detail="single sign-on"))
    return SignInResult(actor)


def _provision(session: Session, identity: Identity, roles: frozenset[str]) -> User | None:
    agency = identity.claim_agency if "auditor" in roles else None
    if "auditor" in roles and agency not in plan_facts.AGENCIES:
        return None
    email = (identity.email or "").strip().lower() or None
    username = email or f"sso-{identity.subject}"
    user = User(
        username=username[:120],
        display_name=(identity.name or username)[:200],
        email=email,
        oidc_subject=identity.subject,
        agency=agency,
        role_rows=[UserRole(role=role) for role in sorted(roles)],
    )
    session.add(user)
    session.flush()
    event_log.record(
        session,
        SYSTEM,
        UserCreated(
            user.id,
            new=sorted(roles),
            detail="from the single sign-on role claim",
        ),
    )
    return user


def refreshed_actor(session: Session, actor: Actor) -> Actor | None:
    """The actor as the users table has it now: None once the account is disabled, so an
    administrator's change takes effect on the person's next click."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if (
        user is None
        or not user.is_active
        or (user.is_synthetic and not database_kind.is_demo(session))
    ):
        return None
    return actor_for(user)


def record_sign_out(session: Session, actor: Actor, reason: str) -> None:
    event_log.record(session, actor, SignedOut(actor.user_id, detail=reason))


def open_demo_accounts(session: Session, actor: Actor = SYSTEM) -> list[User]:
    """In a demo database: give the demo account of each role the published demo password."""
    database_kind.refuse_unless_demo(session)
    users = list(
        session.scalars(
            select(User).where(
                User.is_synthetic.is_(True), User.username.in_(DEMO_SIGN_IN_ACCOUNTS)
            )
        )
    )
    needing = [user for user in users if not _password_matches(user.password_hash, DEMO_PASSWORD)]
    if needing:
        demo_hash = hash_password(DEMO_PASSWORD)
        for user in needing:
            user.password_hash = demo_hash
            event_log.record(
                session, actor, DemoPasswordChanged(user.id, detail={"change": "demo password set"})
            )
    return users


def close_demo_accounts(session: Session, actor: Actor = SYSTEM) -> int:
    """In a real database: no synthetic account keeps a password."""
    users = list(
        session.scalars(
            select(User).where(User.is_synthetic.is_(True), User.password_hash.is_not(None))
        )
    )
    for user in users:
        user.password_hash = None
        event_log.record(
            session, actor, DemoPasswordChanged(user.id, detail={"change": "demo password removed"})
        )
    return len(users)
