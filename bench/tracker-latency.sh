#!/usr/bin/env bash
# B3: tracker latency hiding - engine defaults vs page size 20 / parallelism 1 (DHIS2 core's way), same run,
# 20 ms added to every sandbox request, or --rtt-ms=300: central behind a link with that round trip (issue 15).
# Usage: bench/tracker-latency.sh [TRACKED_ENTITIES] [--only=core] [--rtt-ms=300]
# (default 10000; --only=core runs the core way alone in a fresh JVM, for diagnosis)
source "$(dirname "$0")/lib.sh"
n="${1:-10000}"; shift || true
# shellcheck disable=SC2086
bench_java TrackerLatencyBenchmark -Xmx256m ${BENCH_JVM:-} -- --tracked-entities="$n" "$@" \
    | tee target/bench/tracker-latency.txt
