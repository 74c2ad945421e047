#!/usr/bin/env bash
# The reliability suite across real processes and real databases.
#
#   reliability/run.sh            full run: results in reliability/results/*.json, then RELIABILITY.md
#   reliability/run.sh --quick    the reduced run (the one mvn verify runs), results in reliability/target/quick
#
# Needs PostgreSQL (127.0.0.1:5432, trust) and MariaDB (127.0.0.1:3306, root without password) running;
# the database-restart scenario stops and starts them (as root: pg_ctlcluster, start-stop-daemon).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
out=reliability/results
if [[ "${1:-}" == "--quick" ]]; then
  mode=quick
  out=reliability/target/quick
  shift
fi

# Build inside the reactor, so a fresh clone with an empty local Maven repository works.
mvn -B -q -pl reliability -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$PWD/reliability/target/classpath.txt"
cp="$PWD/reliability/target/classes:$(cat reliability/target/classpath.txt)"

mkdir -p "$out"
if [[ "$mode" == full ]]; then
  rm -f "$out"/*.json
fi
status=0
java -cp "$cp" dev.hookwise.reliability.ReliabilityMain "$mode" "$out" "$@" || status=$?
if [[ "$mode" == full ]]; then
  java -cp "$cp" dev.hookwise.reliability.Report "$out" RELIABILITY.md
fi
exit $status
