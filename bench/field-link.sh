#!/usr/bin/env bash
# B6 + B7 + B8 (issue 15): the first DATA_SYNC of N data values, engine vs DHIS2 core's way (plain JSON with every
# field, 10,000 per page), bytes counted by the sandbox's emulated link in front of central: B6 bytes per value on an
# unlimited line, B7 both over the 3g preset (1.6 Mbit/s down, 768 kbit/s up, 300 ms), B8 a 1 MB proxy body limit.
# Usage: bench/field-link.sh [VALUES] [--b7=false] [--b7-core=false] [--page-size=N] [--parallelism=N] (default 100000;
# --b7=false skips the 3g runs, --b7-core=false the core way over 3g, --page-size / --parallelism: the engine's
# sync.dataValues.pageSize / .parallelism over 3g)
source "$(dirname "$0")/lib.sh"
n="${1:-100000}"; shift || true
# shellcheck disable=SC2086
bench_java FieldLinkBenchmark -Xmx256m ${BENCH_JVM:-} -- --values="$n" "$@" | tee "target/bench/field-link-$n.txt"
grep -h '^RESULT' "target/bench/field-link-$n.txt"
