#!/usr/bin/env bash
# Analytics overview benchmark: generates (once) a database per size with `parley generate` and
# measures p50/p99 of GET /v1/analytics/overview per group_by and peak RSS on each
# (scripts/bench_analytics.py). BENCH_SIZES="100000 1000000" cases, 5 communications per case on
# average; databases are kept in BENCH_DIR (default data/bench) and reused on later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${PARLEY_BIN:-.build/release/parley}
DIR=${BENCH_DIR:-data/bench}
REQUESTS=${BENCH_REQUESTS:-50}
mkdir -p "$DIR"
for size in ${BENCH_SIZES:-100000 1000000}; do
    db="$DIR/analytics-$size.db"
    if [ ! -s "$db" ]; then
        echo "== generating $size cases into $db"
        /usr/bin/time -f "generation: %e s, peak RSS %M KiB" "$BIN" generate --cases "$size" --communications-per-case 5 --seed 1 --db "$db"
        ls -l "$db"
    fi
    echo "== overview on $size cases"
    python3 scripts/bench_analytics.py --db "$db" --bin "$BIN" --requests "$REQUESTS"
done
