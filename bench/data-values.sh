#!/usr/bin/env bash
# B1 + B2: data values, engine vs raw copy in the same run, and the engine JVM's peak heap / RSS.
# Each size runs in its own JVM with -Xmx256m (the DHIS2 pair runs in a separate JVM).
# Usage: bench/data-values.sh [SIZE...]   (default: 100000 1000000)   Extra JVM options: BENCH_JVM="-XX:..."
source "$(dirname "$0")/lib.sh"
sizes=("$@"); [[ ${#sizes[@]} -eq 0 ]] && sizes=(100000 1000000)
for n in "${sizes[@]}"; do
    # shellcheck disable=SC2086
    bench_java DataValuesBenchmark -Xmx256m ${BENCH_JVM:-} -- --values="$n" | tee "target/bench/data-values-$n.txt"
done
echo "---- summary"
for n in "${sizes[@]}"; do grep -h '^RESULT' "target/bench/data-values-$n.txt"; done
# B2 target: peak heap at the largest size <= 1.2 x peak at the smallest
first="target/bench/data-values-${sizes[0]}.txt"; last="target/bench/data-values-${sizes[-1]}.txt"
if [[ "$first" != "$last" ]]; then
    awk '/^RESULT B2/ { match($0, /peak heap used [0-9]+/); u[FILENAME]=substr($0, RSTART+15, RLENGTH-15);
                        match($0, /after GC\) [0-9]+/); l[FILENAME]=substr($0, RSTART+10, RLENGTH-10) }
         END { printf "RESULT B2 ratio largest/smallest: peak heap used %.2f, peak live heap %.2f (target <= 1.20)\n",
               u[ARGV[2]]/u[ARGV[1]], l[ARGV[2]]/l[ARGV[1]] }' "$first" "$last"
fi
