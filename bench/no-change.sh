#!/usr/bin/env bash
# B4: a second run with nothing changed (DATA_SYNC, EVENT_PROGRAMS_DATA_SYNC, TRACKER_PROGRAMS_DATA_SYNC): wall time
# and import requests to central. Options: --values=N --events=N --tracked-entities=N
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2086
bench_java NoChangeBenchmark -Xmx256m ${BENCH_JVM:-} -- "$@" | tee target/bench/no-change.txt
