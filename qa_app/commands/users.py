"""``qa-app users``: add, disable, enable, unlock and list accounts, and reset passwords.

The command line acts as an administrator, so the first admin is created here:
``qa-app users add alice --name "Alice Jones" --role admin``. Passwords are read from a
prompt that does not echo, or from standard input with ``--password-stdin``; they never
appear in arguments, output or the event log.
"""

from __future__ import annotations

import getpass
import sys

from qa_app.services.access import OPERATOR, ROLES


def register(subparsers) -> None:
    users = subparsers.add_parser("users", help="manage user accounts")
    actions = users.add_subparsers(dest="users_action", required=True)

    add = actions.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the person's name as the app shows it")
    add.add_argument(
        "--role",
        action="append",
        required=True,
        choices=sorted(ROLES),
        dest="roles",
        help="a role; repeat for several",
    )
    add.add_argument("--agency", help="an auditor's agency: education, health or social_care")
    add.add_argument("--email", help="email address, to match single sign-on identities")
    source = add.add_mutually_exclusive_group()
    source.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    source.add_argument(
        "--no-password", action="store_true", help="single sign-on only: no local password"
    )
    add.set_defaults(func=run_add)

    for name, helptext, func in (
        ("disable", "stop an account signing in", run_disable),
        ("enable", "let a disabled account sign in again", run_enable),
    ):
        parser = actions.add_parser(name, help=helptext)
        parser.add_argument("username")
        parser.set_defaults(func=func)

    unlock = actions.add_parser(
        "unlock", help="lift a lockout after failed sign-ins, keeping the password"
    )
    unlock.add_argument("username")
    unlock.set_defaults(func=run_unlock)

    reset = actions.add_parser("reset-password", help="set a new password and lift any lockout")
    reset.add_argument("username")
    reset.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    reset.set_defaults(func=run_reset_password)

    listing = actions.add_parser("list", help="list accounts")
    listing.set_defaults(func=run_list)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise SystemExit("The two passwords differ; nothing was changed.")
    return first


def _in_session(settings, work) -> int:
    from qa_app.services.errors import ServiceError
    from qa_app.store.engine import open_session

    try:
        with open_session(settings.database_url, migrate=False) as session:
            message = work(session)
    except ServiceError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(message)
    return 0


def run_add(args) -> int:
    from qa_app.services import accounts

    password = None if args.no_password else _read_password(args.password_stdin)

    def work(session):
        user = accounts.add_user(
            session,
            OPERATOR,
            args.username,
            args.name,
            args.roles,
            agency=args.agency,
            email=args.email,
            password=password,
        )
        return f"added {user.username} ({', '.join(ROLES[r] for r in sorted(user.roles))})"

    return _in_session(args.settings, work)


def run_disable(args) -> int:
    from qa_app.services import accounts

    return _in_session(
        args.settings,
        lambda session: (
            f"disabled {accounts.disable_user(session, OPERATOR, args.username).username}"
        ),
    )


def run_enable(args) -> int:
    from qa_app.services import accounts

    return _in_session(
        args.settings,
        lambda session: (
            f"enabled {accounts.enable_user(session, OPERATOR, args.username).username}"
        ),
    )


def run_unlock(args) -> int:
    from qa_app.services import accounts

    return _in_session(
        args.settings,
        lambda session: (
            f"unlocked {accounts.unlock_user(session, OPERATOR, args.username).username}"
        ),
    )


def run_reset_password(args) -> int:
    from qa_app.services import accounts

    password = _read_password(args.password_stdin)
    return _in_session(
        args.settings,
        lambda session: (
            f"new password set for {accounts.reset_password(session, OPERATOR, args.username, password).username}"
        ),
    )


def run_list(args) -> int:
    from qa_app.services import accounts

    def work(session):
        lines = [f"{'username':<24} {'name':<32} {'roles':<24} {'agency':<12} status"]
        for user in accounts.list_users(session, OPERATOR):
            status = "active" if user.is_active else "disabled"
            if user.is_synthetic:
                status += ", demo"
            if accounts.is_locked(session, user):
                status += ", locked"
            lines.append(
                f"{user.username:<24} {user.display_name[:32]:<32} "
                f"{','.join(sorted(user.roles)):<24} {user.agency or '-':<12} {status}"
            )
        return "\n".join(lines)

    return _in_session(args.settings, work)
