#!/usr/bin/env bash
# B5: metadata versions through META_DATA_SYNC (time per version) and start-to-ready of the jar on an existing
# embedded PostgreSQL data folder. Options: --versions=50 --starts=3
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2086
bench_java MetadataBenchmark ${BENCH_JVM:-} -- "$@" | tee target/bench/metadata.txt
