"""Reads a Parquet file with pyarrow (an independent reader of what `schemactl export`
writes) and prints one JSON object: the schema, the codecs, the row groups, and every row
as text, sorted by the first column (the key).

    PYTHONPATH=target/python python3 cli/tests/export/read_parquet.py FILE
"""
import json
import sys

import pyarrow.parquet as pq


def text(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="microseconds") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def main(path):
    f = pq.ParquetFile(path)
    table = f.read()
    meta = f.metadata
    codecs = sorted(
        {
            meta.row_group(g).column(c).compression
            for g in range(meta.num_row_groups)
            for c in range(meta.num_columns)
        }
    )
    rows = [[text(v) for v in row.values()] for row in table.to_pylist()]
    rows.sort(key=lambda r: r[0])
    print(
        json.dumps(
            {
                "num_rows": table.num_rows,
                "fields": [[fl.name, str(fl.type), fl.nullable] for fl in table.schema],
                "codecs": codecs,
                "row_groups": meta.num_row_groups,
                "rows": rows,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
