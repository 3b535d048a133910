#!/bin/sh
# Starts the Weft agent. Options come from the environment (WEFT_FABRIC_URL, WEFT_HOST_TOKEN,
# WEFT_HOST_ID, WEFT_BACKEND, WEFT_UNDERLAY_INTERFACE, ...; ./weft agent --help lists them) or as
# arguments. With WEFT_HOST_ENV_FILE set, the host id and token are read from that file (written by
# docker/register-hosts.sh in the compose cloud), waiting for it to appear.
set -eu
DIR="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${WEFT_HOST_ENV_FILE:-}" ]; then
  i=0
  while [ ! -s "$WEFT_HOST_ENV_FILE" ]; do
    i=$((i + 1))
    [ "$i" -le 300 ] || { echo "weft agent: $WEFT_HOST_ENV_FILE never appeared" >&2; exit 1; }
    sleep 1
  done
  set -a
  . "$WEFT_HOST_ENV_FILE"
  set +a
fi
exec java --enable-native-access=ALL-UNNAMED ${WEFT_AGENT_JAVA_OPTS:-} \
  -cp "$DIR/lib/*" io.weft.dataplane.agent.AgentMain "$@"
