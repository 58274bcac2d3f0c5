#!/usr/bin/env bash
# Start-up time to the first answered request on an existing database, and idle memory.
#   BACKEND=sqlite benches/startup.sh     BACKEND=postgres benches/startup.sh
source "$(dirname "$0")/common.sh"
ACTIVITIES="${ACTIVITIES:-10000}"
NAME="ropa_bench_http_$ACTIVITIES"
register_db "$NAME" "$ACTIVITIES"
URL="$(db_url "$NAME")"
echo "== $BACKEND, $ACTIVITIES activities: start-up to first /health answer, idle RSS"
for i in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "$ROPA" serve --database-url "$URL" --bind "127.0.0.1:$PORT" &
    pid=$!
    until curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do sleep 0.005; done
    t1=$(date +%s%N)
    sleep 2
    rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    printf 'run %d: first answer after %4d ms, idle RSS %5.1f MB\n' "$i" $(( (t1 - t0) / 1000000 )) "$(echo "$rss / 1024" | bc -l)"
done
