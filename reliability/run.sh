#!/usr/bin/env bash
# The reliability suite across real processes and real databases.
#
#   reliability/run.sh                       full run of every scenario: reliability/results/*.json, then RELIABILITY.md
#   reliability/run.sh kill-9 slow-loris-200 full run of these scenarios only: their JSON files are replaced,
#                                            the others' kept, and RELIABILITY.md regenerated from all of them
#   reliability/run.sh --quick               the reduced run (the one mvn verify runs), results in reliability/target/quick
#   reliability/run.sh --no-build …          skip the Maven build (use what the last build left in target/)
#
# Scenario names: kill-9, kill-9-transactional, kill-9-spring, database-restart, database-restart-spring,
# network-faults, handler-faults, clock-skew, http-abuse, slow-loris-200, and the Spring Boot orders sample's
# http-abuse-spring, network-faults-spring, handler-faults-spring, clock-skew-spring (full mode only).
# -Dreliability.databases=MARIADB in RELIABILITY_JAVA_OPTS runs one database.
#
# Needs PostgreSQL (127.0.0.1:5432, trust) and MariaDB (127.0.0.1:3306, root without password) running;
# the database-restart scenarios stop and start them (as root: pg_ctlcluster, start-stop-daemon). On a
# shared machine hold the Maven lock for the whole run, so that no other build's tests meet a stopped
# database: `flock /tmp/hookwise-mvn.lock reliability/run.sh …` (this script calls mvn itself, not mvnlock).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
out=reliability/results
build=yes
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick; out=reliability/target/quick; shift ;;
    --no-build) build=no; shift ;;
    *) break ;;
  esac
done

if [[ "$build" == yes ]]; then
  # Inside the reactor, so a fresh clone with an empty local Maven repository works; each module writes
  # its own target/classpath.txt. The Spring Boot orders sample is a system under test of its own.
  mvn -B -q -pl reliability,samples/spring-boot-orders -am package -DskipTests \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
cp="$PWD/reliability/target/classes:$(cat reliability/target/classpath.txt)"
spring_cp="$PWD/samples/spring-boot-orders/target/classes:$(cat samples/spring-boot-orders/target/classpath.txt)"
commit="$(git rev-parse --short HEAD)"
if [[ -n "$(git status --porcelain --untracked-files=no -- . ':!reliability/results' ':!RELIABILITY.md')" ]]; then
  commit="$commit+changes"
fi

mkdir -p "$out"
if [[ "$mode" == full && $# -eq 0 ]]; then
  rm -f "$out"/*.json # every scenario runs again
fi
status=0
# shellcheck disable=SC2086
java ${RELIABILITY_JAVA_OPTS:-} -Dreliability.commit="$commit" -Dreliability.spring-orders.classpath="$spring_cp" \
  -cp "$cp" dev.hookwise.reliability.ReliabilityMain "$mode" "$out" "$@" || status=$?
if [[ "$mode" == full ]]; then
  java -cp "$cp" dev.hookwise.reliability.Report "$out" RELIABILITY.md
fi
exit $status
