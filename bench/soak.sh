#!/usr/bin/env bash
# Fault-schedule soak (issue 13): FaultSoakTest with many seeds and steps. Each seed: a seeded random schedule of
# local edits, faults of every kind, clock jumps and SIGKILLs of the engine (its own JVM), then runs until clean;
# central must equal local, nothing duplicated, no dishonest SUCCESS. A failing seed is named in the output; replay
# it with: bench/soak.sh SEED
#   bench/soak.sh [SEEDS] [STEPS]      SEEDS: a count (1..N) or a comma list; STEPS per seed (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS="${1:-10}"
STEPS="${2:-15}"
if [[ "$SEEDS" =~ ^[0-9]+$ ]]; then SEEDS=$(seq -s, 1 "$SEEDS"); fi
echo "soak: seeds $SEEDS, $STEPS steps each, on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
set +e
mvn -B -q -ntp test -Dtest=FaultSoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.seeds="$SEEDS" \
  -Dsoak.steps="$STEPS"
rc=$?
set -e
grep -h "^SOAK " target/surefire-reports/org.dhis2.sync.crash.FaultSoakTest-output.txt | tail -1
grep -h "Tests run:" target/surefire-reports/org.dhis2.sync.crash.FaultSoakTest.txt | head -1
exit $rc
