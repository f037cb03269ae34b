"""``qa-app bench [--json] [--scale] [--only NAME ...]``: measure the project's speed figures."""

from __future__ import annotations

import json


def register(subparsers) -> None:
    bench = subparsers.add_parser("bench", help="run the benchmarks and print their figures")
    bench.add_argument("--json", action="store_true", help="print one JSON object of figures")
    bench.add_argument("--only", nargs="+", metavar="NAME", help="run only these figures")
    bench.add_argument(
        "--scale",
        action="store_true",
        help="also measure the figures that grow with the database at 1k, 10k and 100k audits",
    )
    bench.set_defaults(func=run)


def run(args) -> int:
    from qa_app.benchmarks import available

    figures = available()
    unknown = sorted(set(args.only or []) - set(figures))
    if unknown:
        print(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(figures)}")
        return 2
    results: dict[str, float] = {}
    for name, measure in figures.items():
        if args.only and name not in args.only:
            continue
        measured = measure(scale=True) if args.scale and measure.scales else measure()
        results.update(measured)
        if not args.json:
            # The figure and every companion figure it measured alongside (a p50 beside a
            # p95, failed, lost and duplicated saves beside a latency).
            print(f"{name}: {measured.get(name)}", flush=True)
            for companion, value in measured.items():
                if companion != name:
                    print(f"  {companion}: {value}", flush=True)
    if args.json:
        print(json.dumps(results))
    return 0
