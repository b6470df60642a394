#!/usr/bin/env bash
# The engine end to end between two REAL DHIS2 2.41 servers (opt-in; CI cannot build DHIS2).
# Needs the server jar from ../shared/real-dhis2/build.sh (see its README). Starts (or finds) a local server on
# LOCAL_PORT and a central one on CENTRAL_PORT, by default on empty databases (RESET=0 keeps their data), then runs
# the suite src/test/java/org/dhis2/sync/real/RealDhis2SuiteTest.java through Maven's real-dhis2 profile.
#   bench/real-dhis2.sh            LOCAL_PORT=8180 CENTRAL_PORT=8181 RESET=1
set -euo pipefail
cd "$(dirname "$0")/.."
REAL="${REAL_DHIS2_DIR:-$(cd .. && pwd)/shared/real-dhis2}"
LOCAL_PORT="${LOCAL_PORT:-8180}"
CENTRAL_PORT="${CENTRAL_PORT:-8181}"
if [ "${RESET:-1}" = 1 ]; then
  "$REAL/instance.sh" reset local "$LOCAL_PORT"
  "$REAL/instance.sh" reset central "$CENTRAL_PORT"
else
  "$REAL/instance.sh" start local "$LOCAL_PORT"
  "$REAL/instance.sh" start central "$CENTRAL_PORT"
fi
mvn -B -ntp test -Preal-dhis2 -Dreal.local.url="http://127.0.0.1:$LOCAL_PORT" \
  -Dreal.central.url="http://127.0.0.1:$CENTRAL_PORT"
