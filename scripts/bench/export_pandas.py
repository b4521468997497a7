"""Seed 003's method, as the peer of `schemactl export` in scripts/bench-export.sh:
pandas read_sql (SQLAlchemy + psycopg2), pandera validation of every row against the
same declarations as the model (types, NOT NULL, enum labels, the range checks, eventData
a JSON object), to_parquet (pyarrow, snappy), then DuckDB read_parquet into
research.behavioral_events with the seed's three indexes, in one transaction.

    PYTHONPATH=target/bench-python python3 -s scripts/bench/export_pandas.py \
        --database-url postgresql://... --out FILE.parquet --duckdb FILE.duckdb

Prints one JSON object: rows and seconds per phase. Exit 1 when validation fails.
"""
import argparse
import json
import sys
import time

import duckdb
import pandas as pd
import pandera.pandas as pa
import sqlalchemy

EVENT_TYPES = [
    "MISSION_STARTED", "MISSION_COMPLETED", "SESSION_STARTED", "SESSION_ENDED",
    "CARD_REVIEWED", "VALIDATION_COMPLETED", "LECTURE_UPLOADED", "SEARCH_PERFORMED",
    "GRAPH_VIEWED", "RECOMMENDATION_VIEWED",
]
PHASES = ["baseline_1", "intervention_A_1", "baseline_2", "intervention_A_2"]
LEVELS = ["LOW", "MEDIUM", "HIGH"]
QUALITIES = ["RUSHED", "NORMAL", "THOROUGH"]


def is_json_object(text):
    try:
        return isinstance(json.loads(text), dict)
    except (TypeError, ValueError):
        return False


def int_column(low=None, high=None):
    checks = []
    if low is not None and high is not None:
        checks.append(pa.Check.in_range(low, high))
    elif low is not None:
        checks.append(pa.Check.ge(low))
    return pa.Column(pd.Int32Dtype(), checks, nullable=True, coerce=True)


SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, nullable=False, unique=True),
        "userId": pa.Column(str, nullable=False),
        "eventType": pa.Column(str, pa.Check.isin(EVENT_TYPES), nullable=False),
        "eventData": pa.Column(
            str, pa.Check(is_json_object, element_wise=True), nullable=False
        ),
        "timestamp": pa.Column("datetime64[us]", nullable=False, coerce=True),
        "experimentPhase": pa.Column(str, pa.Check.isin(PHASES), nullable=True),
        "sessionId": pa.Column(str, nullable=True),
        "sessionPerformanceScore": int_column(0, 100),
        "engagementLevel": pa.Column(str, pa.Check.isin(LEVELS), nullable=True),
        "completionQuality": pa.Column(str, pa.Check.isin(QUALITIES), nullable=True),
        "cognitiveLoad": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "timeOfDay": int_column(0, 23),
        "dayOfWeek": int_column(0, 6),
        "durationMs": int_column(0),
        "contentType": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
)

QUERY = """SELECT id, "userId", "eventType"::text AS "eventType", "eventData"::text AS "eventData",
    "timestamp", "experimentPhase"::text AS "experimentPhase", "sessionId",
    "sessionPerformanceScore", "engagementLevel"::text AS "engagementLevel",
    "completionQuality"::text AS "completionQuality", "cognitiveLoad", "timeOfDay", "dayOfWeek",
    "durationMs", "contentType"
  FROM americano."BehavioralEvent\""""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--duckdb", required=True)
    args = parser.parse_args()
    url = args.database_url.replace("postgres://", "postgresql+psycopg2://", 1)
    url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
    times = {}

    started = time.perf_counter()
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:
        df = pd.read_sql(sqlalchemy.text(QUERY), conn)
    times["read_sql"] = time.perf_counter() - started

    t = time.perf_counter()
    try:
        df = SCHEMA.validate(df, lazy=False)
    except pa.errors.SchemaError as err:
        print(f"validation failed: {err}", file=sys.stderr)
        return 1
    times["pandera"] = time.perf_counter() - t

    t = time.perf_counter()
    df.to_parquet(args.out, compression="snappy", index=False, engine="pyarrow")
    times["to_parquet"] = time.perf_counter() - t

    t = time.perf_counter()
    con = duckdb.connect(args.duckdb)
    con.execute("BEGIN")
    con.execute("CREATE SCHEMA IF NOT EXISTS research")
    con.execute(
        "CREATE OR REPLACE TABLE research.behavioral_events AS "
        "SELECT * FROM read_parquet(?) ORDER BY \"timestamp\"",
        [args.out],
    )
    con.execute('CREATE INDEX idx_events_user_time ON research.behavioral_events ("userId", "timestamp")')
    con.execute('CREATE INDEX idx_events_type ON research.behavioral_events ("eventType")')
    con.execute('CREATE INDEX idx_events_phase ON research.behavioral_events ("experimentPhase")')
    con.execute("COMMIT")
    rows = con.execute("SELECT count(*) FROM research.behavioral_events").fetchone()[0]
    con.close()
    times["duckdb"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": {k: round(v, 3) for k, v in times.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
