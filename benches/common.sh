# Shared set-up of the benchmark scripts: the binary, the database, a signed-in session.
# Usage: BACKEND=sqlite|postgres; sourced by http.sh, exports.sh and startup.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROPA="${ROPA:-$ROOT/target/release/ropa}"
BACKEND="${BACKEND:-sqlite}"
WORK="${WORK:-/tmp/ropa-bench}"
PG_BASE="${PG_BASE:-postgres://postgres@127.0.0.1:5432}"
PORT="${PORT:-18431}"
mkdir -p "$WORK"
export RUST_LOG="${RUST_LOG:-warn}"

[ -x "$ROPA" ] || { echo "build first: cargo build --release" >&2; exit 1; }

# The URL of a benchmark database named $1 on the chosen backend.
db_url() {
    case "$BACKEND" in
        sqlite) echo "$WORK/$1.sqlite3" ;;
        postgres) echo "$PG_BASE/$1${PG_PARAMS:-}" ;;
        *) echo "BACKEND must be sqlite or postgres" >&2; exit 1 ;;
    esac
}

# Drops and recreates database $1 (empty).
fresh_db() {
    case "$BACKEND" in
        sqlite) rm -f "$WORK/$1.sqlite3" "$WORK/$1.sqlite3-wal" "$WORK/$1.sqlite3-shm" ;;
        postgres)
            psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
            psql -q "$PG_BASE/postgres" -c "CREATE DATABASE \"$1\"" >/dev/null ;;
    esac
}

# Database $1 with a synthetic register of $2 activities, generated once and kept.
register_db() {
    local name="$1" n="$2" marker="$WORK/$BACKEND-$1.done"
    if [ ! -f "$marker" ]; then
        fresh_db "$name"
        local t0=$(date +%s.%N)
        "$ROPA" demo --activities "$n" --database-url "$(db_url "$name")" >&2
        echo "generated $n activities on $BACKEND in $(echo "$(date +%s.%N) - $t0" | bc) s" >&2
        # What autovacuum does within a minute or so of a bulk load in production: statistics
        # for the planner and a visibility map for index-only scans.
        if [ "$BACKEND" = postgres ]; then psql -q "$(db_url "$name")" -c "VACUUM ANALYZE" >&2; fi
        touch "$marker"
    fi
}

# Runs `/usr/bin/time -v` on a command; prints "seconds peak_MB".
measure() {
    local log="$WORK/time.log"
    /usr/bin/time -v "$@" 2>"$log" >/dev/null
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    # wall is m:ss.cc or h:mm:ss
    local secs
    secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    echo "$secs $((rss / 1024))"
}
