#!/usr/bin/env bash
# Runs every Hookwise benchmark and rewrites BENCHMARKS.md at the repository root.
#
#   benchmarks/run-all.sh --quick   # about 8 minutes on a 2-core machine
#   benchmarks/run-all.sh           # full (about 50 minutes): JMH 5+5 x 2 s per benchmark and body, 60 s at 2,000 events/s,
#                                   # 5,000 events x 3 rounds per JDBC run, event logs of up to 10 million rows
#   benchmarks/run-all.sh --build-only   # build benchmarks.jar and the Spring sample, measure nothing
#   benchmarks/run-all.sh [--quick] --parts jdbc,http   # re-run some parts (jmh, jdbc, txdrain, drain, growth, http);
#                                   # the other parts' results are kept and run.json says which parts were re-run
#   benchmarks/run-all.sh [--quick] --jmh-only   # the same as --parts jmh
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, db test) and MariaDB on 127.0.0.1:3306 (root, db test);
# a database that is down is reported as skipped. Installs a JDK, Maven and pgbench from Debian's packages
# when they are missing. Holds the Maven lock only while building, never while measuring.
set -euo pipefail

MODE=full
ONLY=            # empty: every part; else a comma-separated list of parts to re-run
ALL_PARTS=jmh,jdbc,txdrain,drain,growth,http
expect_parts=
for arg in "$@"; do
  if [ -n "$expect_parts" ]; then ONLY=$arg; expect_parts=; continue; fi
  case "$arg" in
    --quick) MODE=quick ;;
    --build-only) MODE=build ;;
    --jmh-only) ONLY=jmh ;;
    --parts) expect_parts=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --quick, --build-only, --jmh-only, --parts LIST or nothing)" >&2; exit 2 ;;
  esac
done
if [ -n "$expect_parts" ]; then echo "--parts needs a list, e.g. --parts jdbc,http" >&2; exit 2; fi
for p in ${ONLY//,/ }; do
  case ",$ALL_PARTS," in *",$p,"*) ;; *) echo "unknown part: $p (parts: $ALL_PARTS)" >&2; exit 2 ;; esac
done
want() { [ -z "$ONLY" ] || case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RESULTS=benchmarks/results
TMP=$RESULTS/tmp                      # JFR files and scratch; git-ignored
JAR=benchmarks/target/benchmarks.jar
[ "$MODE" = build ] || [ -n "$ONLY" ] || rm -rf "$RESULTS/profiles"    # only this run's profiles are reported
mkdir -p "$RESULTS/profiles" "$TMP"

log() { printf '\n=== %s  [%s]  load %s\n' "$*" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
have() { command -v "$1" >/dev/null 2>&1; }
APT_UPDATED=
apt_install() {
  if ! have apt-get; then echo "cannot install $* (no apt-get): install it yourself" >&2; return 1; fi
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq || true; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# ---------------------------------------------------------------- tools
have java || apt_install openjdk-17-jdk-headless
have mvn || apt_install maven
if [ -n "$ONLY" ] && ! have jq; then apt_install jq; fi
if want jdbc && ! have pgbench; then
  apt_install postgresql-client || true
  # On Debian 12 pgbench ships with the server package, which postgresql-contrib pulls in.
  have pgbench || apt_install postgresql-contrib || echo "pgbench unavailable: the pgbench baseline will be reported as failed" >&2
fi

# ---------------------------------------------------------------- build (the only step under the Maven lock)
log "building benchmarks.jar"
flock /tmp/hookwise-mvn.lock mvn -B -q package -pl benchmarks -am -Dmaven.test.skip=true
[ -f "$JAR" ] || { echo "build did not produce $JAR" >&2; exit 1; }
SPRING_ARGS=()
if [ -n "$ONLY" ] && ! want http; then
  SPRING="not rebuilt (parts re-run: $ONLY)"
elif [ -d samples/spring-boot-orders ]; then
  log "building the Spring Boot orders sample"
  rm -f "$TMP/spring-cp.txt" samples/spring-boot-orders/target/hookwise-runtime-classpath.txt
  # One reactor invocation, so the sample's Hookwise dependencies are the modules built here and the
  # build works with a local repository that holds none of them (a fresh clone). Every module of the
  # reactor writes its classpath to its own target/ (a relative outputFile is taken from each module's
  # directory); the sample's lists the reactor's jars.
  if flock /tmp/hookwise-mvn.lock mvn -B -q package dependency:build-classpath -pl samples/spring-boot-orders -am \
       -Dmaven.test.skip=true -Dmdep.outputFile=target/hookwise-runtime-classpath.txt -Dmdep.includeScope=runtime \
     && cp samples/spring-boot-orders/target/hookwise-runtime-classpath.txt "$TMP/spring-cp.txt"; then
    SPRING_ARGS=(--spring-classpath "$TMP/spring-cp.txt" --spring-classes samples/spring-boot-orders/target/classes)
    SPRING="measured (see the HTTP table)"
  else
    SPRING="present, but its build failed in this run, so it was not measured"
  fi
else
  SPRING="not in the repository at the time of the run"
fi
if [ "$MODE" = build ]; then
  log "built $JAR; Spring sample: ${SPRING_ARGS[*]:-not built}"
  exit 0
fi

# ---------------------------------------------------------------- bookkeeping
PARTS=()
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
UPTIME_START=$(cut -d' ' -f1-3 /proc/loadavg)
part_start() { PART_NAME=$1; PART_LOAD=$(cut -d' ' -f1-3 /proc/loadavg); log "$1"; }
part_end() { PARTS+=("{\"name\":\"$PART_NAME\",\"start\":\"$PART_LOAD\",\"end\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"); }

java -cp "$JAR" dev.hookwise.benchmarks.report.Machine "$RESULTS/machine.json"

if [ "$MODE" = quick ]; then
  JMH_ARGS=(-f 1 -wi 3 -w 1s -i 3 -r 1s)
  JDBC_EVENTS=1200; JDBC_ROUNDS=2; TX_EVENTS=2000
  GROWTH_SIZES="postgresql=10000,100000;mariadb=10000,100000"; GROWTH_OPS=300
  HTTP_QUICK=true
else
  # One fork: verify+parse runs 13 bodies x 2 sides, and the bodies say more about spread than a second fork.
  JMH_ARGS=(-f 1 -wi 5 -w 2s -i 5 -r 2s)
  JDBC_EVENTS=5000; JDBC_ROUNDS=3; TX_EVENTS=5000
  GROWTH_SIZES="postgresql=10000,1000000,10000000;mariadb=10000,1000000;h2=10000,1000000"; GROWTH_OPS=1000
  HTTP_QUICK=false
fi

# ---------------------------------------------------------------- 1. JMH
if want jmh; then
part_start "JMH: verify+parse vs constructEvent, in-memory pipeline"
java -jar "$JAR" "${JMH_ARGS[@]}" -rf json -rff "$RESULTS/jmh.json" 'dev.hookwise.benchmarks.jmh.*' \
  | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.|# (body|handled))' || true
part_end
fi

# ---------------------------------------------------------------- 2. JDBC
if want jdbc; then
part_start "JDBC: claim+complete vs pgbench vs naive"
java -Xmx1g -cp "$JAR" dev.hookwise.benchmarks.jdbc.JdbcThroughput --events "$JDBC_EVENTS" --rounds "$JDBC_ROUNDS" --threads 1,4,16 \
  --databases postgresql,mariadb,h2 --pgbench-script benchmarks/pgbench/claim_complete.sql --out "$RESULTS/jdbc.json"
part_end

part_start "JDBC profile: Hookwise claim+complete on PostgreSQL, 4 threads, under JFR"
rm -f "$TMP/jdbc-postgresql.jfr"
java -Xmx1g -XX:StartFlightRecording=filename=$TMP/jdbc-postgresql.jfr,settings=profile -cp "$JAR" \
  dev.hookwise.benchmarks.jdbc.JdbcThroughput --events 3000 --rounds 1 --threads 4 --databases postgresql \
  --workloads hookwise --out "$TMP/jdbc-profile-run.json" 2>&1 | grep -v jfr,startup || true
java -cp "$JAR" dev.hookwise.benchmarks.report.JfrSummary "$TMP/jdbc-postgresql.jfr" \
  "$RESULTS/profiles/jdbc-postgresql-claim-complete.json" "JDBC harness: Hookwise claim+complete, PostgreSQL, 4 threads"
part_end
fi

if want txdrain; then
part_start "JDBC: inbox drain with transactional handlers vs plain handlers (PostgreSQL, 4 threads)"
java -Xmx1g -cp "$JAR" dev.hookwise.benchmarks.jdbc.TransactionalDrain --events "$TX_EVENTS" --rounds "$JDBC_ROUNDS" \
  --threads 4 --transaction-batches 1,10,25,50 --out "$RESULTS/txdrain.json"
part_end
fi

if want growth; then
part_start "JDBC: cost as the event log grows (10 thousand to 10 million rows)"
java -Xmx3g -cp "$JAR" dev.hookwise.benchmarks.jdbc.LogGrowth --sizes "$GROWTH_SIZES" --ops "$GROWTH_OPS" \
  --out "$RESULTS/growth.json" 2>&1 | grep -v DEBUG || true
part_end
fi

if want drain; then
part_start "JDBC: inbox drain with plain handlers (PostgreSQL, MariaDB, H2, 4 threads)"
java -Xmx1g -cp "$JAR" dev.hookwise.benchmarks.jdbc.PlainDrain --events "$TX_EVENTS" --rounds "$JDBC_ROUNDS" \
  --threads 4 --databases postgresql,mariadb,h2 --out "$RESULTS/drain.json"
part_end
fi

# ---------------------------------------------------------------- 3. HTTP
PG_INBOX=false
JDBC_INBOX="the JDBC store has no inbox (enqueue/claimDue) yet in this tree, so drain was measured on the in-memory store only"
if grep -q "claimDue" webhook-jdbc/src/main/java/dev/hookwise/jdbc/JdbcIdempotencyStore.java 2>/dev/null; then
  PG_INBOX=true
  JDBC_INBOX="measured (see the drain table)"
fi
if want http; then
part_start "HTTP: WebhookServer under load, sync and async, drain"
java -Xmx2g -cp "$JAR" dev.hookwise.benchmarks.http.HttpBench --quick "$HTTP_QUICK" --jar "$JAR" \
  --out "$RESULTS/http.json" --jfr-dir "$TMP" --postgresql-inbox "$PG_INBOX" "${SPRING_ARGS[@]}" 2>&1 \
  | grep -v '^   server: \[' || true
if [ -f "$TMP/async-rate.jfr" ]; then
  java -cp "$JAR" dev.hookwise.benchmarks.report.JfrSummary "$TMP/async-rate.jfr" \
    "$RESULTS/profiles/http-async-rate.json" "HTTP server, async mode at 2,000 events/s (server JVM)"
fi
if [ -f "$TMP/async-rate-postgresql.jfr" ]; then
  java -cp "$JAR" dev.hookwise.benchmarks.report.JfrSummary "$TMP/async-rate-postgresql.jfr" \
    "$RESULTS/profiles/http-async-rate-postgresql.json" "HTTP server, async mode at 2,000 events/s, event log on PostgreSQL (server JVM)"
fi
if [ -f "$TMP/drain-postgresql.jfr" ]; then
  java -cp "$JAR" dev.hookwise.benchmarks.report.JfrSummary "$TMP/drain-postgresql.jfr" \
    "$RESULTS/profiles/http-drain-postgresql.json" "HTTP server, inbox drain on PostgreSQL, tuned worker (server JVM)"
fi
part_end
fi

if [ -n "$ONLY" ]; then
  # Keep the other parts' results; replace (or add) the re-run parts in run.json, marked as re-run.
  have jq || apt_install jq
  PARTS_JSON=$(IFS=,; echo "${PARTS[*]}")
  if [ -f "$RESULTS/run.json" ]; then
    jq --argjson new "[$PARTS_JSON]" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg mode "$MODE" '
      ($new | map(. + {rerun: $at, rerunMode: $mode})) as $n
      | (.parts | map(.name)) as $old
      | .parts = ([.parts[] | . as $o | ([$n[] | select(.name == $o.name)][0] // $o)]
                  + [$n[] | select(.name as $x | any($old[]; . == $x) | not)])' \
      "$RESULTS/run.json" > "$TMP/run.json" && mv "$TMP/run.json" "$RESULTS/run.json"
  fi
  java -cp "$JAR" dev.hookwise.benchmarks.report.Report "$RESULTS" BENCHMARKS.md
  log "done (parts $ONLY, $MODE): BENCHMARKS.md and the re-run parts' results in $RESULTS"
  exit 0
fi

# ---------------------------------------------------------------- report
FINISHED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
UPTIME_END=$(cut -d' ' -f1-3 /proc/loadavg)
PARTS_JSON=$(IFS=,; echo "${PARTS[*]}")
cat > "$RESULTS/run.json" <<JSON
{
  "mode": "$MODE",
  "started": "$STARTED",
  "finished": "$FINISHED",
  "uptimeStart": "$UPTIME_START",
  "uptimeEnd": "$UPTIME_END",
  "parts": [$PARTS_JSON],
  "spring": "$SPRING",
  "jdbcInbox": "$JDBC_INBOX"
}
JSON
java -cp "$JAR" dev.hookwise.benchmarks.report.Report "$RESULTS" BENCHMARKS.md
log "done ($MODE): BENCHMARKS.md and $RESULTS/*.json"
