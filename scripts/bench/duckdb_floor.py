"""The DuckDB side of `schemactl export --sync` alone, as a floor: the Parquet file that
scripts/bench-export.sh leaves (target/bench-export/schemactl.parquet) loaded into
research.behavioral_events of a new DuckDB file in four ways, each timed (wall and this
process's CPU, all DuckDB threads) from BEGIN to the last COMMIT:

  seed:      the seed's method: CREATE TABLE AS ... ORDER BY "timestamp", the 3 indexes
  bare:      the model's columns and types (JSON), no key, no checks, no index: the load alone
  one-tx:    the model's table (key, checks) filled ORDER BY "timestamp", the 3 indexes, one
             transaction (what `export --sync` did before the session of 2026-12-06/07)
  two-tx:    the model's table without its key filled and committed, then renamed, the key
             added and the 3 indexes built (what `export --sync` does now)

    PYTHONPATH=target/bench-python python3 -s scripts/bench/duckdb_floor.py FILE.parquet [CASE...]

THREADS=N sets DuckDB's threads (default: one per core).
"""
import os
import resource
import sys
import time

import duckdb

CHECKS = {
    "eventType": """"eventType" IN ('MISSION_STARTED', 'MISSION_COMPLETED', 'SESSION_STARTED',
        'SESSION_ENDED', 'CARD_REVIEWED', 'VALIDATION_COMPLETED', 'LECTURE_UPLOADED',
        'SEARCH_PERFORMED', 'GRAPH_VIEWED', 'RECOMMENDATION_VIEWED')""",
    "eventData": """json_type("eventData") = 'OBJECT'""",
    "experimentPhase": """"experimentPhase" IN ('baseline_1', 'intervention_A_1', 'baseline_2',
        'intervention_A_2')""",
    "sessionPerformanceScore": '"sessionPerformanceScore" BETWEEN 0 AND 100',
    "engagementLevel": "\"engagementLevel\" IN ('LOW', 'MEDIUM', 'HIGH')",
    "completionQuality": "\"completionQuality\" IN ('RUSHED', 'NORMAL', 'THOROUGH')",
    "cognitiveLoad": '"cognitiveLoad" BETWEEN 0 AND 1',
    "timeOfDay": '"timeOfDay" BETWEEN 0 AND 23',
    "dayOfWeek": '"dayOfWeek" BETWEEN 0 AND 6',
    "durationMs": '"durationMs" >= 0',
}
# (name, type, nullable): models/research.duckdb.yaml's columns.
COLUMNS = [
    ("id", "VARCHAR", False), ("userId", "VARCHAR", False), ("eventType", "VARCHAR", False),
    ("eventData", "JSON", False), ("timestamp", "TIMESTAMP", False),
    ("experimentPhase", "VARCHAR", True), ("sessionId", "VARCHAR", True),
    ("sessionPerformanceScore", "INTEGER", True), ("engagementLevel", "VARCHAR", True),
    ("completionQuality", "VARCHAR", True), ("cognitiveLoad", "DOUBLE", True),
    ("timeOfDay", "INTEGER", True), ("dayOfWeek", "INTEGER", True),
    ("durationMs", "INTEGER", True), ("contentType", "VARCHAR", True),
]
TABLE = "research.behavioral_events"
INDEXES = [
    f'CREATE INDEX idx_events_user_time ON {TABLE} ("userId", "timestamp")',
    f'CREATE INDEX idx_events_type ON {TABLE} ("eventType")',
    f'CREATE INDEX idx_events_phase ON {TABLE} ("experimentPhase")',
]


def create(name, key, checks):
    parts = []
    for column, ty, nullable in COLUMNS:
        line = f'"{column}" {ty}' + ("" if nullable else " NOT NULL")
        if checks and column in CHECKS:
            line += f" CHECK ({CHECKS[column]})"
        parts.append(line)
    if key:
        parts.append("PRIMARY KEY (id)")
    return f"CREATE TABLE {name} (" + ", ".join(parts) + ")"


def seed(con, parquet):
    con.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM read_parquet(?) ORDER BY \"timestamp\"",
                [parquet])
    for index in INDEXES:
        con.execute(index)


def bare(con, parquet):
    con.execute(create(TABLE, key=False, checks=False))
    con.execute(f"INSERT INTO {TABLE} SELECT * FROM read_parquet(?)", [parquet])


def one_tx(con, parquet):
    con.execute(create(TABLE, key=True, checks=True))
    con.execute(f"INSERT INTO {TABLE} SELECT * FROM read_parquet(?) ORDER BY \"timestamp\"",
                [parquet])
    for index in INDEXES:
        con.execute(index)


def two_tx(con, parquet):
    load = TABLE + "__schemactl_load"
    con.execute(create(load, key=False, checks=True))
    con.execute(f"INSERT INTO {load} SELECT * FROM read_parquet(?)", [parquet])
    con.execute("COMMIT")
    con.execute("BEGIN")
    con.execute(f"ALTER TABLE {load} RENAME TO behavioral_events")
    con.execute(f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id)")
    for index in INDEXES:
        con.execute(index)


CASES = {"seed": seed, "bare": bare, "one-tx": one_tx, "two-tx": two_tx}


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parquet = sys.argv[1]
    path = os.path.join(os.path.dirname(os.path.abspath(parquet)), "floor.duckdb")
    for case in sys.argv[2:] or list(CASES):
        for stale in (path, path + ".wal"):
            if os.path.exists(stale):
                os.remove(stale)
        con = duckdb.connect(path)
        con.execute("SET enable_progress_bar = false")
        if os.environ.get("THREADS"):
            con.execute(f"SET threads = {int(os.environ['THREADS'])}")
        wall, used = time.perf_counter(), cpu()
        con.execute("BEGIN")
        con.execute("CREATE SCHEMA research")
        CASES[case](con, parquet)
        con.execute("COMMIT")
        wall, used = time.perf_counter() - wall, cpu() - used
        rows = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        con.close()
        print(f"{case:8s} {rows} rows: {wall:6.2f} s wall, {used:6.2f} s CPU", flush=True)
    for stale in (path, path + ".wal"):
        if os.path.exists(stale):
            os.remove(stale)


if __name__ == "__main__":
    main()
