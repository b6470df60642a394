#!/usr/bin/env bash
# B9: N sync pairs (default 200 small sandbox locals, one central) in one engine node: every pair's no-change run
# (all pairs at once), central's peak concurrent requests against the cap, the engine's heap per idle pair.
# Options: --pairs=N --cap=N (central.maxConcurrentRequests) --jmx-level=RoutesOnly|ContextOnly|Default
# --compare-template-route-mbeans (the heap per pair again without the stage routes' JMX MBeans)
# --histogram (the heap growth per pair by class), --camel.x=y / --sync.x=y (an engine property for both engines)
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2086
bench_java PairsBenchmark -Xmx3g ${BENCH_JVM:-} -- "$@" | tee target/bench/pairs.txt
