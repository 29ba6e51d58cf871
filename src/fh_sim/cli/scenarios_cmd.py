"""``fh-sim scenarios``: the ready-made scenarios with their one-line descriptions."""

from __future__ import annotations

import argparse
import json

from fh_sim.cli.run_cmd import conf_dir
from fh_sim.scenarios.catalog import format_table, list_scenarios


def main(argv: list[str], *, command: str, debug: bool) -> int:
    """Print the scenario table (or JSON with ``--json``); return the exit code."""
    parser = argparse.ArgumentParser(
        prog=f"fh-sim {command}",
        description="List the ready-made scenarios (conf/scenario/*.yaml). Run one with "
        "`fh-sim run scenario=NAME`; packages compose the scenarios listed under them.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    infos = list_scenarios(conf_dir())
    if args.json:
        print(
            json.dumps(
                [
                    {"name": s.name, "description": s.description, "members": list(s.members)}
                    for s in infos
                ],
                indent=2,
            )
        )
    else:
        print(format_table(infos))
    return 0
