"""Figure 1's work as instructions per day, counted by valgrind's callgrind.

    python benchmarks/instructions.py            # about a minute; needs valgrind

Wall time on a shared virtual machine varies by half from one minute to the next;
the instructions a day costs do not (to within 0.1% between runs), so this is the
number to compare two versions of the code by. It builds the same stored days as
figure 1 with workers off (one process), once for 20 days and once for 200, and
prints the difference per day, so start-up and imports cancel out. Instructions are
not time: a cache miss costs more than an add, so a change that saves instructions
is confirmed on figure 1 itself, on a quiet machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from subprocess import PIPE

from run import stored_days  # benchmarks/run.py, beside this file

RUN = """
import sys
import hotpapers.pipeline
hotpapers.pipeline.PARALLEL_MIN_DAYS = 10**9
from hotpapers.cli import cli
cli.main(["-q", "build", "--since", sys.argv[1], "--until", sys.argv[2], "--offline"], standalone_mode=False)
"""


def instructions(site: Path, days: list[str]) -> int:
    shutil.rmtree(site / "content", ignore_errors=True)
    counts = site / "callgrind.out"
    valgrind = ["valgrind", "-q", "--tool=callgrind", f"--callgrind-out-file={counts}"]
    done = subprocess.run([*valgrind, sys.executable, "-c", RUN, days[0], days[-1]], cwd=site, stderr=PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"the build under callgrind failed: {(done.stderr.strip().splitlines() or ['no message'])[-1]}")
    return int(re.search(r"^summary: (\d+)", counts.read_text(), re.MULTILINE)[1])


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        days = stored_days(site, 200)
        few, many = instructions(site, days[:20]), instructions(site, days)
    print(f"figure 1's work: {(many - few) / 180 / 1000:,.0f}k instructions a day (Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
