#!/usr/bin/env bash
# Benchmark for seed 002 (IGDB on SQLite): `igdb-ingest ingest` (examples/igdb) of 350,000 games against
# the seed's own approach (Python's sqlite3, executemany INSERT OR REPLACE), in the same
# run, then query latencies on the 350k database against the seed's goals (<1 ms simple,
# <100 ms complex).
#
#   scripts/bench-igdb.sh                 350,000 games, 3 timed ingests per side
#   GAMES=100000 scripts/bench-igdb.sh    another size
#   REPS=5 scripts/bench-igdb.sh          more ingest repetitions
#   SKIP_BUILD=1 scripts/bench-igdb.sh    reuse target/release/{schemactl,igdb-ingest} as they are
#
# Steps:
#   1. build the release binaries; `igdb-ingest generate` writes GAMES games (NDJSON);
#   2. ingest, REPS times, alternating sides, each into a freshly provisioned file
#      (`schemactl provision --recreate`, untimed), each a whole process, wall clock:
#        schemactl  `igdb-ingest ingest games.ndjson`: read, check every record, upsert
#                   deduplicated by id in one transaction, ingestion_log row;
#        python     python3 reading the same file (json.loads per line) and
#                   `executemany("INSERT OR REPLACE INTO games ...")`, one commit, into a
#                   file provisioned from the same model;
#      then once each, untimed setup aside, the re-run of the same file into the loaded
#      database (schemactl: a no-op by dedup; python: every row replaced);
#      (both sides fill game_genres through the model's triggers: the same work per game);
#   3. queries on the schemactl-loaded database as ingest left it (no ANALYZE) with Python's
#      sqlite3 (warm cache, median of many runs, in ms), each with its EXPLAIN QUERY PLAN;
#      genre queries both over json_each(games.genres), as seed 002 wrote them, and over the
#      model's game_genres table (idx_game_genres_genre covers them);
# Prints medians, the ratio python/schemactl and PASS/MISS for the query goals. Exits
# non-zero only when a step fails, never for a MISS. Work files: target/bench-igdb/.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
games="${GAMES:-350000}"
reps="${REPS:-3}"
for v in "$games" "$reps"; do
    if ! [[ "$v" =~ ^[1-9][0-9]*$ ]]; then
        echo "bench-igdb.sh: GAMES and REPS must be positive integers, got '$v'" >&2
        exit 2
    fi
done

schemactl="$repo_root/target/release/schemactl"
igdb_ingest="$repo_root/target/release/igdb-ingest"
model="$repo_root/examples/igdb/schema.yaml"
work="$repo_root/target/bench-igdb"
export SCHEMACTL_LOG="warn" NO_COLOR=1
unset SCHEMACTL_SCHEMA DATABASE_URL

echo "== machine"
echo "uptime: $(uptime)"
echo "cpus: $(nproc), python $(python3 -c 'import sqlite3, sys; print(sys.version.split()[0], "sqlite", sqlite3.sqlite_version)')"

if [[ -z "${SKIP_BUILD:-}" ]]; then
    echo "== build"
    (cd "$repo_root" && cargo build --release -p schemactl -p igdb-example --quiet)
fi
rm -rf "$work"
mkdir -p "$work"
cd "$work"

echo "== generate $games games"
"$igdb_ingest" generate --count "$games" --out games.ndjson
ls -l games.ndjson | awk '{printf "games.ndjson: %.1f MB\n", $5 / 1e6}'

cat > peer.py <<'EOF'
# Seed 002's save_games: json per record, executemany INSERT OR REPLACE, one commit.
import json, sqlite3, sys, time
t0 = time.perf_counter()
rows = []
with open(sys.argv[1]) as f:
    for line in f:
        if not line.strip():
            continue
        g = json.loads(line)
        lists = [json.dumps(g[k], separators=(",", ":")) if g.get(k) is not None else None
                 for k in ("genres", "platforms", "themes")]
        rows.append((g["id"], g["name"], g.get("summary"), *lists, g.get("rating"),
                     g.get("rating_count") or 0, g.get("first_release_date")))
t1 = time.perf_counter()
db = sqlite3.connect(sys.argv[2])
db.executemany(
    "INSERT OR REPLACE INTO games (id, name, summary, genres, platforms, themes, rating, "
    "rating_count, first_release_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
t2 = time.perf_counter()
n = db.execute("SELECT count(*) FROM games").fetchone()[0]
print(f"python: {len(rows)} rows, parse {t1 - t0:.2f}s, executemany+commit {t2 - t1:.2f}s, {n} games")
EOF

now() { date +%s.%N; }
provision() {
    "$schemactl" --schema "$model" provision --database-url "sqlite://$1" --recreate --yes
}

echo "== ingest ($reps runs per side, fresh database each)"
ours=()
theirs=()
for ((i = 1; i <= reps; i++)); do
    provision ours.db
    t0=$(now)
    "$igdb_ingest" ingest games.ndjson --database-url sqlite://ours.db --batch-id "run-$i" > ours.out
    t1=$(now)
    ours+=("$(echo "$t1 - $t0" | bc -l)")
    provision peer.db
    t0=$(now)
    python3 peer.py games.ndjson peer.db > peer.out
    t1=$(now)
    theirs+=("$(echo "$t1 - $t0" | bc -l)")
    printf "run %d: schemactl %.2fs, python %.2fs\n" "$i" "${ours[-1]}" "${theirs[-1]}"
done
sed 's/^/  /' ours.out
sed 's/^/  /' peer.out

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
m_ours=$(median "${ours[@]}")
m_theirs=$(median "${theirs[@]}")
printf "median: schemactl %.2fs (%.0f games/s), python %.2fs; python/schemactl = %.2fx\n" \
    "$m_ours" "$(echo "$games / $m_ours" | bc -l)" "$m_theirs" "$(echo "$m_theirs / $m_ours" | bc -l)"

echo "== re-run of the same file into the loaded database"
t0=$(now)
"$igdb_ingest" ingest games.ndjson --database-url sqlite://ours.db --batch-id rerun > ours.out
t1=$(now)
python3 peer.py games.ndjson peer.db > peer.out
t2=$(now)
sed 's/^/  /' ours.out
printf "schemactl re-run %.2fs (dedup: nothing written), python re-run %.2fs (every row replaced)\n" \
    "$(echo "$t1 - $t0" | bc -l)" "$(echo "$t2 - $t1" | bc -l)"

echo "== queries on ours.db ($games games), warm, median ms"
python3 - ours.db <<'EOF'
import random, sqlite3, statistics, sys, time
db = sqlite3.connect(sys.argv[1])
ids = [r[0] for r in db.execute("SELECT id FROM games")]
rng = random.Random(2)
Y = lambda y: int(time.mktime((y, 1, 1, 0, 0, 0, 0, 0, 0)))
genre = lambda: rng.choice(["Shooter", "Puzzle", "Role-playing (RPG)", "Indie", "Pinball"])
# The json_each and game_genres forms of a query must agree before their times are compared.
same = [
    ("SELECT count(*), round(sum(g.rating), 2) FROM games g, json_each(g.genres) j "
     "WHERE g.first_release_date >= ? AND g.first_release_date < ? AND j.value = ?",
     "SELECT count(*), round(sum(rating), 2) FROM game_genres "
     "WHERE first_release_date >= ? AND first_release_date < ? AND genre = ?"),
]
for a, b in same:
    for name in ["Shooter", "Pinball"]:
        args = (Y(2010), Y(2020), name)
        ra, rb = db.execute(a, args).fetchone(), db.execute(b, args).fetchone()
        assert ra == rb, (name, ra, rb)
queries = [
    ("simple", "lookup by id", "SELECT * FROM games WHERE id = ?",
     lambda: (rng.choice(ids),), 2000),
    ("simple", "top 20 by rating, rating_count >= 10",
     "SELECT id, name, rating FROM games WHERE rating_count >= 10 ORDER BY rating DESC LIMIT 20",
     lambda: (), 2000),
    ("complex", "genre + release years + by rating, 20: json_each(games.genres)",
     "SELECT g.id, g.name, g.rating FROM games g "
     "WHERE g.first_release_date >= ? AND g.first_release_date < ? "
     "AND EXISTS (SELECT 1 FROM json_each(g.genres) WHERE value = ?) "
     "ORDER BY g.rating DESC LIMIT 20",
     lambda: (Y(2015), Y(2020), genre()), 200),
    ("complex", "the same, json_each, walking the rating index (INDEXED BY idx_games_rating)",
     "SELECT g.id, g.name, g.rating FROM games g INDEXED BY idx_games_rating "
     "WHERE g.first_release_date >= ? AND g.first_release_date < ? "
     "AND EXISTS (SELECT 1 FROM json_each(g.genres) WHERE value = ?) "
     "ORDER BY g.rating DESC LIMIT 20",
     lambda: (Y(2015), Y(2020), genre()), 200),
    ("complex", "the same over game_genres joined to games",
     "SELECT g.id, g.name, gg.rating FROM game_genres gg JOIN games g ON g.id = gg.game_id "
     "WHERE gg.genre = ? AND gg.first_release_date >= ? AND gg.first_release_date < ? "
     "ORDER BY gg.rating DESC LIMIT 20",
     lambda: (genre(), Y(2015), Y(2020)), 500),
    ("complex", "name prefix, case-insensitive (NOCASE index), 20",
     "SELECT id, name, rating FROM games WHERE name LIKE ? ORDER BY name COLLATE NOCASE LIMIT 20",
     lambda: (rng.choice(["dragon", "the cr", "Pixel Q", "sil", "neon h"]) + "%",), 500),
    ("complex", "genres of one decade, count and mean rating: GROUP BY over json_each(games.genres)",
     "SELECT j.value AS genre, count(*) AS games, round(avg(g.rating), 1) AS rating "
     "FROM games g, json_each(g.genres) j "
     "WHERE g.first_release_date >= ? AND g.first_release_date < ? "
     "GROUP BY j.value ORDER BY rating DESC",
     lambda: (Y(2010), Y(2020)), 20),
    ("complex", "the same over game_genres joined to games, date and rating read from games",
     "SELECT gg.genre, count(*) AS games, round(avg(g.rating), 1) AS rating "
     "FROM games g JOIN game_genres gg ON gg.game_id = g.id "
     "WHERE g.first_release_date >= ? AND g.first_release_date < ? "
     "GROUP BY gg.genre ORDER BY rating DESC",
     lambda: (Y(2010), Y(2020)), 20),
    ("complex", "the same over game_genres alone, with its copies of date and rating",
     "SELECT genre, count(*) AS games, round(avg(rating), 1) AS rating FROM game_genres "
     "WHERE first_release_date >= ? AND first_release_date < ? "
     "GROUP BY genre ORDER BY rating DESC",
     lambda: (Y(2010), Y(2020)), 100),
]
goals = {"simple": 1.0, "complex": 100.0}
rows = []
for kind, label, sql, args, n in queries:
    plan = [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql, args())]
    for _ in range(5):
        db.execute(sql, args()).fetchall()
    times = []
    for _ in range(n):
        a = args()
        t = time.perf_counter()
        db.execute(sql, a).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    med = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    ok = "PASS" if med < goals[kind] else "MISS"
    rows.append((kind, label, n, med, p95, ok))
    print(f"-- {kind}: {label}\n   {sql}")
    for step in plan:
        print(f"   plan: {step}")
print()
print("| query | kind | runs | median ms | p95 ms | goal |")
print("|---|---|---|---|---|---|")
for kind, label, n, med, p95, ok in rows:
    print(f"| {label} | {kind} | {n} | {med:.3f} | {p95:.3f} | {ok} (< {goals[kind]:g} ms) |")
EOF
echo "uptime: $(uptime)"
