# Shared by the bench/*.sh scripts: build once when the jar is missing or older than the sources, cache the test
# classpath, and run a benchmark main (org.dhis2.sync.bench.*) from the project root.
set -euo pipefail
cd "$(dirname "$0")/.."

# BENCH_NO_BUILD=1: run what target/ holds (a copy of the project measured while the sources change)
if [[ -z "${BENCH_NO_BUILD:-}" ]] && [[ ! -f target/dhis2-sync.jar || -n "$(find pom.xml src routes config -newer target/dhis2-sync.jar -print -quit)" ]]; then
    echo "building (mvn -B -o -q -DskipTests package)..." >&2
    mvn -B -o -q -DskipTests package >&2
fi
if [[ ! -f target/bench-classpath.txt || pom.xml -nt target/bench-classpath.txt ]]; then
    mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
fi
BENCH_CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
mkdir -p target/bench

# bench_java MAIN_CLASS [JVM options...] -- [benchmark options...]
bench_java() {
    local main="$1"; shift
    local jvm=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do jvm+=("$1"); shift; done
    [[ $# -gt 0 ]] && shift
    echo "commit ${BENCH_COMMIT:-$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src routes config || echo ' (+ uncommitted changes)')}, $(date -u +%Y-%m-%dT%H:%MZ)"
    LOG_LEVEL="${LOG_LEVEL:-WARN}" CAMEL_LOG_LEVEL="${CAMEL_LOG_LEVEL:-WARN}" java "${jvm[@]}" -cp "$BENCH_CP" "org.dhis2.sync.bench.$main" "$@"
}
