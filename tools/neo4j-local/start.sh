#!/usr/bin/env bash
# Start a local Neo4j 5.26 Community server (Bolt, auth disabled) with OpenGDS 2.13.9 in the foreground.
# No Docker needed: the server is built from Maven Central artifacts (see pom.xml).
#
#   tools/neo4j-local/start.sh                 # bolt://127.0.0.1:7687, data in data/neo4j-local
#   NEO4J_LOCAL_PORT=7688 NEO4J_LOCAL_DATA=/tmp/n4j tools/neo4j-local/start.sh
#
# Env: NEO4J_LOCAL_PORT (7687), NEO4J_LOCAL_DATA (data/neo4j-local, relative to the repo root),
#      NEO4J_LOCAL_BIND (127.0.0.1), NEO4J_LOCAL_HEAP (512m), NEO4J_LOCAL_REBUILD=1 to force a build.
# Stop with Ctrl-C (the DBMS shuts down cleanly).
set -euo pipefail

TOOL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$TOOL_DIR/../.." && pwd)"
PORT="${NEO4J_LOCAL_PORT:-7687}"
BIND="${NEO4J_LOCAL_BIND:-127.0.0.1}"
HEAP="${NEO4J_LOCAL_HEAP:-512m}"
DATA="${NEO4J_LOCAL_DATA:-data/neo4j-local}"
case "$DATA" in /*) ;; *) DATA="$REPO_ROOT/$DATA" ;; esac

command -v java >/dev/null || { echo "error: java (JDK 17+) not found on PATH" >&2; exit 1; }

if [[ ! -f "$TOOL_DIR/target/neo4j-local.jar" || ! -d "$TOOL_DIR/target/lib" || ! -d "$TOOL_DIR/target/plugins" || "${NEO4J_LOCAL_REBUILD:-0}" == 1 ]]; then
  command -v mvn >/dev/null || { echo "error: mvn not found on PATH (needed for the first build)" >&2; exit 1; }
  echo "Building tools/neo4j-local (first run downloads ~130 MB from Maven Central)..." >&2
  mvn -q -B -Dstyle.color=never -f "$TOOL_DIR/pom.xml" package
fi

# Flags from the server.jvm.additional defaults of Neo4j 5.26's neo4j.conf
# (keep in sync with JVM_FLAGS in tests/neo4j_local.py).
JVM_FLAGS=(
  "-Xms$HEAP" "-Xmx$HEAP"
  -XX:+UseG1GC
  -XX:-OmitStackTraceInFastThrow
  -XX:+UnlockExperimentalVMOptions
  -XX:+TrustFinalNonStaticFields
  -XX:+DisableExplicitGC
  -XX:+ExitOnOutOfMemoryError
  -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true
  -Dlog4j2.disable.jmx=true
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --enable-native-access=ALL-UNNAMED
)

mkdir -p "$DATA"
echo "Starting Neo4j (data: $DATA, log: $DATA/logs/debug.log) ..." >&2
echo "When ready, use:  export CONNECTOR_GRAPH_STORE=bolt://$BIND:$PORT   (no auth; Ctrl-C to stop)" >&2
# OpenGDS sits in target/plugins: the database's plugins folder (where Neo4j registers the gds.*
# procedures) and on the classpath (where Neo4j finds the GDS extension).
exec java "${JVM_FLAGS[@]}" -Dneo4jlocal.plugins="$TOOL_DIR/target/plugins" \
  -cp "$TOOL_DIR/target/neo4j-local.jar:$TOOL_DIR/target/lib/*:$TOOL_DIR/target/plugins/*" \
  connectorgraph.neo4jlocal.Neo4jLocal "$DATA" "$PORT" "$BIND"
