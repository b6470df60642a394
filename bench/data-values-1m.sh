#!/usr/bin/env bash
# One million data values through DATA_SYNC with a 256 MB heap (engine and both sandbox instances share it).
# Prints a "BENCH ..." line with the duration; the result is appended to bench/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test -Dtest=MillionDataValuesBench -Dbench.million=true -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine="-Xmx256m" "$@"
grep -h "^BENCH" target/surefire-reports/org.dhis2.sync.aggregate.MillionDataValuesBench-output.txt \
    | sed "s/^/$(date -u +%Y-%m-%dT%H:%MZ) /" | tee -a bench/results.txt
