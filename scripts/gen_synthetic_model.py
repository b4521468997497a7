#!/usr/bin/env python3
"""Synthetic 1,000-table schemactl model for the diff/plan benchmark (issue 4).

    scripts/gen_synthetic_model.py --out DIR [--nonce TEXT] [--seed N]

Writes into DIR:
  model.yaml         the model: 4 schemas x 250 tables, 10 columns each (10,000 columns),
                     2 secondary indexes per table (btree, partial btree, GIN on jsonb,
                     composite btree), a foreign key from every table to an earlier one
                     (plus cross-schema ones), CHECK constraints, comments, 20 views and
                     row-level security with one policy on 20 tables;
  model_edited.yaml  the same model with 50 scattered, non-destructive edits (added
                     columns, changed defaults, new and dropped indexes, changed views,
                     table and column comments, changed policies, added checks);
  edits.txt          one line per edit;
  stats.txt          `key value` lines with the model's size.

Only the standard library is used. Output is deterministic for a given --seed and
--nonce. The nonce goes into a schema comment so that each benchmark run gets a
scratch database of its own (`plan` names it after a hash of the model's script), which
makes its first `plan` really cold.
"""

import argparse
import json
import os
import random
import sys

SCHEMAS = ["sales", "inventory", "billing", "support"]
TABLES_PER_SCHEMA = 250
NOUNS = [
    "account", "order", "invoice", "shipment", "product", "customer", "payment", "ticket",
    "contract", "supplier", "warehouse", "region", "campaign", "refund", "subscription",
    "device", "session", "address", "employee", "project", "task", "asset", "vendor",
    "batch", "event",
]
VIEWS_PER_SCHEMA = 5
RLS_TABLES_PER_SCHEMA = 5
OWNER = "bench_owner"


# ---------------------------------------------------------------------------------------
# A minimal YAML emitter: block mappings, block sequences of scalars or mappings, and
# scalars written as JSON (a JSON string is a valid YAML double-quoted scalar). Keys are
# plain identifiers except "on", which is quoted.
def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v, ensure_ascii=False)


def key(k):
    return json.dumps(k) if k in ("on", "yes", "no", "off", "y", "n") else k


def emit(obj, indent=0, out=None):
    pad = "  " * indent
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, dict):
                if not v:
                    out.append(f"{pad}{key(k)}: {{}}")
                else:
                    out.append(f"{pad}{key(k)}:")
                    emit(v, indent + 1, out)
            elif isinstance(v, list):
                if not v:
                    out.append(f"{pad}{key(k)}: []")
                elif all(not isinstance(x, (dict, list)) for x in v):
                    out.append(f"{pad}{key(k)}: [{', '.join(scalar(x) for x in v)}]")
                else:
                    out.append(f"{pad}{key(k)}:")
                    for x in v:
                        if isinstance(x, dict):
                            first = True
                            for kk, vv in x.items():
                                lead = f"{pad}  - " if first else f"{pad}    "
                                first = False
                                if isinstance(vv, (dict, list)):
                                    out.append(f"{lead}{key(kk)}:")
                                    emit(vv, indent + 3, out)
                                else:
                                    out.append(f"{lead}{key(kk)}: {scalar(vv)}")
                        else:
                            out.append(f"{pad}  - {scalar(x)}")
            else:
                out.append(f"{pad}{key(k)}: {scalar(v)}")
    return out


def to_yaml(model):
    lines = ["# Synthetic benchmark model (scripts/gen_synthetic_model.py); do not edit by hand."]
    emit(model, 0, lines)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
def table_name(i):
    return f"{NOUNS[i % len(NOUNS)]}_{i:03d}"


def build(seed, nonce):
    rng = random.Random(seed)
    stats = {"schemas": len(SCHEMAS), "tables": 0, "columns": 0, "indexes": 0,
             "primary_keys": 0, "foreign_keys": 0, "checks": 0, "views": 0,
             "rls_tables": 0, "policies": 0}
    schemas = {}
    for si, schema in enumerate(SCHEMAS):
        tables = {}
        for i in range(TABLES_PER_SCHEMA):
            name = table_name(i)
            cols = {
                "id": {"type": "bigint", "identity": "by_default", "primary_key": True},
            }
            if i > 0:
                parent = table_name(rng.randrange(max(0, i - 20), i))
                cols["parent_id"] = {"type": "bigint",
                                     "references": {"table": parent, "on_delete": "cascade"}}
                stats["foreign_keys"] += 1
            elif si > 0:
                # The first table of each schema after the first points into the previous one.
                cols["parent_id"] = {"type": "bigint",
                                     "references": {"schema": SCHEMAS[si - 1],
                                                    "table": table_name(0)}}
                stats["foreign_keys"] += 1
            else:
                cols["parent_id"] = {"type": "bigint"}
            cols["name"] = {"type": "text", "nullable": False}
            cols["code"] = {"type": f"varchar({16 + 8 * (i % 4)})"}
            cols["qty"] = {"type": "integer", "nullable": False, "default": 0}
            if i % 2 == 0:
                cols["qty"]["check"] = "qty >= 0"
                stats["checks"] += 1
            cols["amount"] = {"type": "numeric(10,2)", "comment": f"Amount of the {NOUNS[i % len(NOUNS)]}, in euros"}
            cols["created_at"] = {"type": "timestamptz", "nullable": False, "default": "now()"}
            cols["attrs"] = {"type": "jsonb", "nullable": False, "default": "'{}'::jsonb"}
            cols["active"] = {"type": "boolean", "nullable": False, "default": True}
            if i % 4 == 3 and si > 0:
                cols["ref_id"] = {"type": "bigint",
                                  "references": {"schema": SCHEMAS[si - 1],
                                                 "table": table_name(rng.randrange(TABLES_PER_SCHEMA)),
                                                 "on_delete": "set_null"}}
                stats["foreign_keys"] += 1
            else:
                cols["note"] = {"type": "text"}
            indexes = {
                f"{name}_parent_idx": {"columns": ["parent_id"]},
            }
            kind = i % 4
            if kind == 0:
                indexes[f"{name}_created_idx"] = {
                    "columns": [{"column": "created_at", "order": "desc"}]}
            elif kind == 1:
                indexes[f"{name}_code_active_idx"] = {"columns": ["code"], "where": "active"}
            elif kind == 2:
                indexes[f"{name}_attrs_idx"] = {
                    "using": "gin", "columns": [{"column": "attrs", "opclass": "jsonb_path_ops"}]}
            else:
                indexes[f"{name}_name_qty_idx"] = {"columns": ["name", "qty"]}
            table = {
                "comment": f"Synthetic {NOUNS[i % len(NOUNS)]} table {i} of {schema}",
                "columns": cols,
                "indexes": indexes,
            }
            if i % (TABLES_PER_SCHEMA // RLS_TABLES_PER_SCHEMA) == 7:
                table["row_level_security"] = {
                    "enabled": True,
                    "policies": {
                        "owner_active": {"to": [OWNER], "using": "active",
                                         "with_check": "qty >= 0"},
                    },
                }
                stats["rls_tables"] += 1
                stats["policies"] += 1
            tables[name] = table
            stats["tables"] += 1
            stats["columns"] += len(cols)
            stats["indexes"] += len(indexes)
            stats["primary_keys"] += 1
        views = {}
        for v in range(VIEWS_PER_SCHEMA):
            i = 10 + v * 47
            child = table_name(i)
            parent = tables[child]["columns"]["parent_id"]["references"]["table"]
            views[f"v_{child}"] = {
                "comment": f"Active {child} rows with their parent's name",
                "query": (f"SELECT c.id, c.name, c.code, c.amount, p.name AS parent_name\n"
                          f"FROM {schema}.{child} c\n"
                          f"JOIN {schema}.{parent} p ON p.id = c.parent_id\n"
                          f"WHERE c.active\n"),
            }
            stats["views"] += 1
        schemas[schema] = {
            "owner": OWNER,
            # The nonce is in a schema comment: part of the script `plan` hashes.
            "comment": f"Synthetic schema {schema}" + (f" ({nonce})" if si == 0 else ""),
            "tables": tables,
            "views": views,
        }
    model = {
        "database": {"name": "bench_diff", "owner": OWNER, "encoding": "UTF8",
                     "comment": "Synthetic 1,000-table benchmark model"},
        "roles": {OWNER: {"login": True, "password_env": "BENCH_OWNER_PW",
                          "comment": "Owns the benchmark database and its schemas"}},
        "schemas": schemas,
    }
    return model, stats


def edit(model, seed):
    """50 scattered, non-destructive edits; returns their descriptions."""
    rng = random.Random(seed + 1)
    log = []
    # Every edit touches a different table, spread over all schemas.
    all_tables = [(s, t) for s in SCHEMAS for t in model["schemas"][s]["tables"]]
    picks = iter(rng.sample(all_tables, 60))

    def tbl(s, t):
        return model["schemas"][s]["tables"][t]

    for k in range(10):
        s, t = next(picks)
        typ = ["text", "integer", "boolean", "timestamptz", "varchar(40)"][k % 5]
        col = {"type": typ}
        if typ == "integer":
            col["default"] = 0
        tbl(s, t)["columns"][f"extra_{k}"] = col
        log.append(f"add column {s}.{t}.extra_{k} {typ}")
    for _ in range(8):
        s, t = next(picks)
        tbl(s, t)["columns"]["qty"]["default"] = 1
        log.append(f"change default {s}.{t}.qty 0 -> 1")
    for _ in range(8):
        s, t = next(picks)
        tbl(s, t)["indexes"][f"{t}_qty_idx"] = {"columns": ["qty"], "where": "qty > 0"}
        log.append(f"add index {s}.{t}_qty_idx")
    for _ in range(4):
        s, t = next(picks)
        idx = tbl(s, t)["indexes"]
        name = [n for n in idx if not n.endswith("_parent_idx")][0]
        del idx[name]
        log.append(f"drop index {s}.{name}")
    for s in SCHEMAS:
        name, view = sorted(model["schemas"][s]["views"].items())[rng.randrange(VIEWS_PER_SCHEMA)]
        view["query"] = view["query"].replace("WHERE c.active\n", "WHERE c.active AND c.qty > 0\n")
        log.append(f"change view {s}.{name} (WHERE adds qty > 0)")
    for _ in range(8):
        s, t = next(picks)
        tbl(s, t)["comment"] += " (revised)"
        log.append(f"change comment on table {s}.{t}")
    for _ in range(4):
        s, t = next(picks)
        tbl(s, t)["columns"]["name"]["comment"] = "Display name"
        log.append(f"add comment on column {s}.{t}.name")
    rls = [(s, t) for s in SCHEMAS for t, d in model["schemas"][s]["tables"].items()
           if "row_level_security" in d]
    for s, t in rng.sample(rls, 2):
        pol = tbl(s, t)["row_level_security"]["policies"]["owner_active"]
        pol["using"] = "active AND qty >= 0"
        log.append(f"change policy owner_active on {s}.{t} (USING)")
    for _ in range(2):
        s, t = next(picks)
        tbl(s, t).setdefault("checks", {})[f"{t}_amount_nonneg"] = "amount IS NULL OR amount >= 0"
        log.append(f"add check {s}.{t}_amount_nonneg")
    assert len(log) == 50, len(log)
    return log


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--nonce", default="fixed")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    model, stats = build(args.seed, args.nonce)
    with open(os.path.join(args.out, "model.yaml"), "w") as f:
        f.write(to_yaml(model))
    edited, _ = build(args.seed, args.nonce)
    log = edit(edited, args.seed)
    with open(os.path.join(args.out, "model_edited.yaml"), "w") as f:
        f.write(to_yaml(edited))
    with open(os.path.join(args.out, "edits.txt"), "w") as f:
        f.write("\n".join(log) + "\n")
    with open(os.path.join(args.out, "stats.txt"), "w") as f:
        for k, v in stats.items():
            f.write(f"{k} {v}\n")
    print(" ".join(f"{k}={v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
