#!/usr/bin/env bash
# Export and import benchmark: wall time and peak memory (/usr/bin/time -v) of the command line.
#   BACKEND=sqlite benches/exports.sh     BACKEND=postgres benches/exports.sh
# Env: SIZES (PDF sizes, default "100 1000 10000"), LARGE (CSV/JSON size, default 10000).
source "$(dirname "$0")/common.sh"
SIZES="${SIZES:-100 1000 10000}"
LARGE="${LARGE:-10000}"

echo "== $BACKEND: command, seconds, peak MB"
for n in $SIZES; do
    register_db "ropa_bench_exp_$n" "$n"
    read -r s mb < <(measure "$ROPA" export --format pdf --role controller --status all \
        --database-url "$(db_url "ropa_bench_exp_$n")" --output "$WORK/$BACKEND-$n.pdf")
    pages=$(pdfinfo "$WORK/$BACKEND-$n.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')
    printf 'pdf controller %6s activities  %7.2f s  %5s MB  (%s pages)\n' "$n" "$s" "$mb" "${pages:-?}"
done
register_db "ropa_bench_exp_$LARGE" "$LARGE"
URL="$(db_url "ropa_bench_exp_$LARGE")"
read -r s mb < <(measure "$ROPA" export --format csv --status all --database-url "$URL" --output "$WORK/$BACKEND.csv")
printf 'csv controller %6s activities  %7.2f s  %5s MB\n' "$LARGE" "$s" "$mb"
if [ "$BACKEND" = sqlite ] && command -v sqlite3 >/dev/null; then
    # The floor: SQLite's own shell reading the same joins (benches/csv_baseline.sql).
    read -r s mb < <(measure bash -c "sqlite3 -csv -header '$URL' < '$ROOT/benches/csv_baseline.sql' > '$WORK/baseline.csv'")
    printf 'csv sqlite3    %6s activities  %7.2f s  %5s MB  (group_concat floor)\n' "$LARGE" "$s" "$mb"
fi
read -r s mb < <(measure "$ROPA" export --format json --database-url "$URL" --output "$WORK/$BACKEND.json")
printf 'json export    %6s activities  %7.2f s  %5s MB\n' "$LARGE" "$s" "$mb"
fresh_db "ropa_bench_import"
read -r s mb < <(measure "$ROPA" import --database-url "$(db_url ropa_bench_import)" "$WORK/$BACKEND.json")
printf 'json import    %6s activities  %7.2f s  %5s MB\n' "$LARGE" "$s" "$mb"
