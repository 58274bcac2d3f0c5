#!/usr/bin/env bash
# HTTP benchmark: wrk from a second process on loopback, 32 connections, against a release
# server on a synthetic register of 10,000 activities.
#   BACKEND=sqlite benches/http.sh        BACKEND=postgres benches/http.sh
# Env: DURATION (default 15s), CONNECTIONS (32), THREADS (2), ACTIVITIES (10000),
# ONLY (an extended regex on the labels: run only those pages; the ceiling always runs),
# SESSIONS (32: signed-in sessions the requests take in turn),
# EXPORTS_DURING (0: that many clients download the whole controller PDF in a loop while the
# saves are measured; their answers, 200 or 503 "busy", are counted at the end).
source "$(dirname "$0")/common.sh"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
ACTIVITIES="${ACTIVITIES:-10000}"
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }

NAME="ropa_bench_http_$ACTIVITIES"
register_db "$NAME" "$ACTIVITIES"
URL="$(db_url "$NAME")"
ROPA_PASSWORD=bench-password-123 "$ROPA" user add --email bench@example.eu --role admin \
    --database-url "$URL" >/dev/null 2>&1 || true

"$ROPA" serve --database-url "$URL" --bind "127.0.0.1:$PORT" ${SERVE_ARGS:-} &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fsS "$BASE/health" >/dev/null 2>&1 && break; sleep 0.1; done

# Sign in: the log-in form gives the CSRF cookie and field; $1 is the cookie jar.
sign_in() {
    local jar="$1" token
    rm -f "$jar"
    token=$(curl -fsS -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    curl -fsS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
        --data-urlencode "email=bench@example.eu" --data-urlencode "password=bench-password-123" \
        --data-urlencode "csrf_token=$token" "$BASE/login" | grep -q 303 || { echo "log-in failed" >&2; exit 1; }
    # Without the one-time flash cookie (HttpOnly lines start with #HttpOnly_).
    sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 && $6 != "ropa_flash"' > "$jar.flashless"
}
JAR="$WORK/cookies.txt"; sign_in "$JAR"; JAR="$JAR.flashless"
CSRF=$(awk '$6 == "ropa_csrf" {print $7}' "$JAR")
# SESSIONS sign-ins, one cookie line each, which wrk's requests take in turn: concurrent
# requests carry different sessions, as different users' would. The CSRF cookie is the first
# sign-in's, whose token the saved form carries (double submit: any session may send it).
SESSIONS="${SESSIONS:-32}"
export COOKIES_FILE="$WORK/cookies.list"; : > "$COOKIES_FILE"
for i in $(seq 1 "$SESSIONS"); do
    sign_in "$WORK/cookies.$i.txt"
    awk -v csrf="$CSRF" '$6 != "ropa_csrf" {printf "%s=%s; ", $6, $7} END {print "ropa_csrf=" csrf}' \
        "$WORK/cookies.$i.txt.flashless" >> "$COOKIES_FILE"
done

FIRST_ID="${FIRST_ID:-1}" # a fresh synthetic register numbers its activities from 1
DEEP=$(( (ACTIVITIES * 95 / 100) / 50 ))
CATEGORY=$(curl -fsS -b "$JAR" "$BASE/activities" | sed -n '/name="category"/,/<\/select>/p' | grep -o 'option value="[0-9][0-9]*"' | sed -n 3p | grep -o '[0-9][0-9]*')

run() { # label path [lua]
    local label="$1" path="$2" script="${3:-$(dirname "$0")/wrk/session.lua}"
    if [ -n "${ONLY:-}" ] && [[ "$label" != ceiling* ]] && ! [[ "$label" =~ $ONLY ]]; then return; fi
    local size status
    size=$(curl -sS -b "$JAR" -o /dev/null -w '%{size_download}' "$BASE$path")
    status=$(curl -sS -b "$JAR" -o /dev/null -w '%{http_code}' "$BASE$path")
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$BASE$path")
    local rps p50 p99 errors
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(echo "$out" | grep -E 'Non-2xx|Socket errors|non-303' | tr '\n' ' ' || true)
    printf '%-22s %-58s %8s B  status %s  %10s req/s  p50 %8s  p99 %8s  %s\n' \
        "$label" "$path" "$size" "$status" "$rps" "$p50" "$p99" "$errors"
}

echo "== $BACKEND, $ACTIVITIES activities, $CONNECTIONS connections, $THREADS wrk threads, $DURATION"
run "ceiling (static)" "/health/page"
run "list first page" "/activities"
run "list filtered" "/activities?status=active&basis=legitimate_interests&category=$CATEGORY&role=controller"
run "list text search" "/activities?q=customers+order"
run "list search party" "/activities?q=bangalore"
run "list search country" "/activities?q=india+health"
run "list deep page" "/activities?page=$DEEP"
run "activity page" "/activities/$((FIRST_ID + 17))"
run "home page" "/"
run "health page" "/checks"

# Saving the form: the edit page of one activity, re-sent to other activities at version 1.
curl -fsS -b "$JAR" "$BASE/activities/$FIRST_ID/edit" | python3 "$(dirname "$0")/form_body.py" > "$WORK/form.body"
printf '&csrf_token=%s' "$CSRF" >> "$WORK/form.body"
export BODY_FILE="$WORK/form.body" FIRST_ID ACTIVITIES
EXPORTERS=()
for i in $(seq 1 "${EXPORTS_DURING:-0}"); do
    ( while :; do
        curl -s -b "$JAR" -o /dev/null -w '%{http_code}\n' "$BASE/export.pdf?status=all"
      done >> "$WORK/exports-during.$i" ) &
    EXPORTERS+=($!)
done
run "save activity form" "/activities/$FIRST_ID" "$(dirname "$0")/wrk/save.lua"
if [ "${#EXPORTERS[@]}" -gt 0 ]; then
    kill "${EXPORTERS[@]}" 2>/dev/null || true
    echo "downloads during the saves (status: count): $(cat "$WORK"/exports-during.* | sort | uniq -c | tr '\n' ' ')"
    rm -f "$WORK"/exports-during.*
fi

# The ceiling again at the end: on a shared machine it drifts; compare pages with the higher.
run "ceiling again" "/health/page"

echo "server RSS after the run: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$SERVER/status)"
