"""The calibration line every bench script prints beside its figures.

A figure holds for the machine and the moment it was taken: on the shared 2-core machines the same
pure-Python loop took 1.8 s at one moment and 3.0-3.3 s an hour later. So each script times, on the
same machine and just before (and after) its own measurement, two fixed pieces of work, and prints them
with the load average:

- `python`: 20,000,000 additions in a plain `for` loop (one core, the interpreter only);
- `postgresql`: `sum()` over `generate_series(1, 5,000,000)` in the server (one backend, CPU only: the
  set-returning function in the select list streams, nothing is spilled to disk; JIT off as for
  Django's connections); the median of three runs, over a fresh connection to the same server.

A figure measured with `python 3.0 s` is expected to be about 1.6 times one measured with
`python 1.8 s` for Python-bound work (rendering, serializing, generating rows); database-bound work
follows the `postgresql` time. Compare figures by these ratios, not by their absolute values.

    from bench.calibration import calibrate
    before = calibrate(database_url)
    ...  # the measurement
    print(before.line("calibration before"))     # "calibration before: python 20M additions 1.92 s; ..."
    print(calibrate(database_url).line("calibration after"))

Both lines, before and after, bracket the measurement: a load that changed meanwhile shows.

`python bench/calibration.py --database-url URL` prints the line alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON_ADDITIONS = 20_000_000
POSTGRES_ROWS = 5_000_000
POSTGRES_RUNS = 3
# In the select list, generate_series streams its rows (ProjectSet); in FROM it would fill a tuplestore
# and spill 5M rows to disk past work_mem, timing the disk instead of the CPU.
POSTGRES_QUERY = f"SELECT sum(i) FROM (SELECT generate_series(1, {POSTGRES_ROWS}) AS i) AS s"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_bench"


@dataclass(frozen=True)
class Calibration:
    python_s: float
    postgres_s: float | None  # None: no PostgreSQL to time (SQLite runs)
    load: tuple[float, float, float]
    at: dt.datetime

    def line(self, label: str = "calibration") -> str:
        pg = (
            f"postgresql sum(generate_series 1..5M) {self.postgres_s:.2f} s (median of {POSTGRES_RUNS})"
            if self.postgres_s is not None
            else "postgresql not timed"
        )
        one, five, fifteen = self.load
        return (
            f"{label}: python 20M additions {self.python_s:.2f} s; {pg}; "
            f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} CPUs; "
            f"Python {platform.python_version()}; {self.at:%Y-%m-%d %H:%M} UTC"
        )


def python_seconds(additions: int = PYTHON_ADDITIONS) -> float:
    """Seconds for `additions` additions in a plain loop."""
    started = time.perf_counter()
    total = 0
    for i in range(additions):
        total += i
    seconds = time.perf_counter() - started
    assert total == additions * (additions - 1) // 2  # the loop is not optimised away
    return seconds


def postgres_seconds(database_url: str, runs: int = POSTGRES_RUNS) -> float:
    """Median seconds of POSTGRES_QUERY over `runs` runs, on a fresh connection with JIT off.

    The query touches no table: it runs in the server's `postgres` database, so that it can be timed
    before the bench database exists (and while it is being dropped).
    """
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(database_url)
    info["dbname"] = "postgres"
    with psycopg.connect(**info, autocommit=True, options="-c jit=off") as conn:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            conn.execute(POSTGRES_QUERY).fetchone()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def calibrate(database_url: str | None) -> Calibration:
    """Time both pieces of work now; `database_url` None or not PostgreSQL: the Python loop only."""
    load = os.getloadavg()
    python_s = python_seconds()
    postgres_s = None
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        postgres_s = postgres_seconds(database_url)
    return Calibration(python_s, postgres_s, load, dt.datetime.now(dt.UTC))


def calibration_line(database_url: str | None, label: str = "calibration") -> str:
    return calibrate(database_url).line(label)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args(argv)
    print(calibration_line(args.database_url))


if __name__ == "__main__":
    main()
