"""``qa-app rubric check FILE...``: validate rubric files, reporting every problem."""

from __future__ import annotations

from pathlib import Path

from qa_app.domain.rubric import Problem, RubricError, load_rubric_text


def register(subparsers) -> None:
    rubric = subparsers.add_parser("rubric", help="work with rubric files")
    actions = rubric.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate rubric YAML files")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(func=check_files)


def check_files(args) -> int:
    failed = False
    for name in args.files:
        try:
            text = Path(name).read_text(encoding="utf-8")
            rubric = load_rubric_text(text, source=name)
        except OSError as exc:
            print(Problem(1, f"cannot read file: {exc.strerror}").render(name))
            failed = True
        except UnicodeDecodeError:
            print(Problem(1, "file is not UTF-8 text").render(name))
            failed = True
        except RubricError as exc:
            for problem in exc.problems:
                print(problem.render(name))
            failed = True
        else:
            sections = len(rubric.sections)
            print(
                f"{name}: ok: {rubric.id} v{rubric.version}, {len(rubric.criteria)} criteria "
                f"in {sections} sections, {len(rubric.limits)} limiting rules"
                + ("" if rubric.kind == "plan" else f", kind {rubric.kind}")
            )
    return 1 if failed else 0
