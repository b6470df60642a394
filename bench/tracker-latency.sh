#!/usr/bin/env bash
# B3: tracker latency hiding - engine defaults vs page size 20 / parallelism 1 (DHIS2 core's way), same run,
# 20 ms added to every sandbox request. Usage: bench/tracker-latency.sh [TRACKED_ENTITIES] (default 10000)
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2086
bench_java TrackerLatencyBenchmark -Xmx256m ${BENCH_JVM:-} -- --tracked-entities="${1:-10000}" \
    | tee target/bench/tracker-latency.txt
