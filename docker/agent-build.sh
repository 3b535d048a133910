#!/usr/bin/env bash
# Builds the agent's runtime directory: OUT/lib (the data plane jar and its runtime dependencies,
# slf4j-simple for logging) and OUT/*.sh. The agent image's build stage runs exactly this; on a
# machine without Docker, docker/check.sh runs it and starts the agent from OUT.
set -euo pipefail
OUT="${1:?usage: docker/agent-build.sh OUTPUT_DIR}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MVN=(./mvnw -B -ntp -q)
"${MVN[@]}" -pl dataplane -am package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true
mkdir -p "$OUT/lib"
"${MVN[@]}" -pl dataplane dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$OUT/lib"
cp dataplane/target/weft-dataplane-*.jar "$OUT/lib/"
cp docker/agent-entrypoint.sh docker/register-hosts.sh "$OUT/"
chmod +x "$OUT"/*.sh
echo "agent runtime in $OUT: $(ls "$OUT/lib" | wc -l) jars"
