"""``qa-app classify``: flag weak outcome statements (or, with ``--kind provision``,
vague provision items).

qa-app classify INPUT.csv --output OUTPUT.csv   adds weak, p_weak and reasons columns
qa-app classify --json                          one statement per stdin line, JSON out

The CSV needs a ``text`` column and may have a ``timescale`` column: the outcome's own
"by when" field, as in plans that give it a column of its own. With ``--json`` a line that
parses as a JSON object ``{"text": ..., "timescale": ...}`` is read as one outcome's
fields; any other line is the statement's text.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUTPUT_COLUMNS = ("weak", "p_weak", "reasons")


class ClassifyError(Exception):
    """A problem with the user's input, reported without a traceback."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "classify", help="flag weak outcome statements in a CSV file or on stdin"
    )
    parser.add_argument(
        "input", nargs="?", type=Path, metavar="INPUT.csv", help="CSV with a text column"
    )
    parser.add_argument(
        "--output", type=Path, metavar="OUTPUT.csv", help="where to write the flagged CSV"
    )
    parser.add_argument(
        "--kind",
        choices=["outcome", "provision"],
        default="outcome",
        help="outcome statements (default) or provision items (weak = vague)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="read statements from stdin, one per line; print JSON lines",
    )
    parser.set_defaults(func=classify_command)


def classify_command(args) -> int:
    from qa_app.classifier import ModelUnavailable

    try:
        if args.json:
            if args.input or args.output:
                raise ClassifyError(
                    "--json reads stdin and prints to stdout; give no files with it"
                )
            classify_lines(sys.stdin, sys.stdout, kind=args.kind)
        else:
            if args.input is None or args.output is None:
                raise ClassifyError("give INPUT.csv and --output OUTPUT.csv, or use --json")
            count = classify_csv(args.input, args.output, kind=args.kind)
            noun = (
                ("statement" if count == 1 else "statements")
                if args.kind == "outcome"
                else ("provision item" if count == 1 else "provision items")
            )
            print(f"classified {count} {noun}", file=sys.stderr)
    except (ClassifyError, ModelUnavailable) as exc:
        print(f"qa-app classify: error: {exc}", file=sys.stderr)
        return 2
    return 0


def _row_fields(verdict) -> dict[str, object]:
    return {
        "weak": int(verdict.weak),
        "p_weak": round(verdict.p_weak, 3),
        "reasons": verdict.reasons_text,
    }


def _outcome_fields(line: str) -> dict[str, str]:
    """``text`` (and ``timescale`` when given) from a JSON object line, else the line."""
    if line.lstrip().startswith("{"):
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        if isinstance(value, dict):
            fields = {"text": _as_text(value.get("text"))}
            if value.get("timescale") is not None:
                fields["timescale"] = _as_text(value["timescale"])
            return fields
    return {"text": line}


def _as_text(value) -> str:
    return "" if value is None else value if isinstance(value, str) else json.dumps(value)


def classify_lines(lines, out, kind: str = "outcome") -> None:
    from qa_app.classifier import classify_outcomes

    stripped = [line.rstrip("\r\n") for line in lines]
    if kind == "provision":
        _provision_lines([line for line in stripped if line.strip()], out)
        return
    outcomes = [_outcome_fields(line) for line in stripped if line.strip()]
    verdicts = classify_outcomes(
        [fields["text"] for fields in outcomes],
        [fields.get("timescale") for fields in outcomes],
    )
    for fields, verdict in zip(outcomes, verdicts):
        out.write(json.dumps({**fields, **_row_fields(verdict)}, ensure_ascii=False) + "\n")


def _provision_lines(texts: list[str], out) -> None:
    from qa_app.classifier.provision import classify_provision

    items = [_outcome_fields(text)["text"] for text in texts]
    for text, verdict in zip(items, classify_provision(items)):
        out.write(json.dumps({"text": text, **_row_fields(verdict)}, ensure_ascii=False) + "\n")


def classify_csv(input_path: Path, output_path: Path, kind: str = "outcome") -> int:
    """Classify every row's ``text`` (with its ``timescale``, where the CSV has that
    column, for outcomes); the other columns pass through unchanged."""
    fieldnames, rows = _read_rows(input_path)
    texts = [row["text"] or "" for row in rows]
    if kind == "provision":
        from qa_app.classifier.provision import classify_provision

        verdicts = classify_provision(texts)
    else:
        from qa_app.classifier import classify_outcomes

        verdicts = classify_outcomes(texts, [row.get("timescale") for row in rows])
    columns = fieldnames + [name for name in OUTPUT_COLUMNS if name not in fieldnames]
    try:
        with open(output_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row, verdict in zip(rows, verdicts):
                fields = _row_fields(verdict)
                fields["p_weak"] = f"{fields['p_weak']:.3f}"
                writer.writerow({**row, **fields})
    except OSError as exc:
        raise ClassifyError(f"cannot write the output file ({exc.strerror})") from None
    return len(rows)


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    # File names and contents can carry children's names, so errors do not echo them.
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            fieldnames = list(reader.fieldnames or [])
            if "text" not in fieldnames:
                raise ClassifyError("the input CSV has no 'text' column")
            rows = list(reader)
    except FileNotFoundError:
        raise ClassifyError("the input file does not exist") from None
    except IsADirectoryError:
        raise ClassifyError("the input path is a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise ClassifyError("the input file is not UTF-8 text") from None
    except csv.Error:
        raise ClassifyError("the input file is not a readable CSV") from None
    except OSError as exc:
        raise ClassifyError(f"cannot read the input file ({exc.strerror})") from None
    return fieldnames, rows
