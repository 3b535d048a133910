#!/bin/sh
# Registers the compose cloud's hosts with the fabric, once: a logical network and one host per
# name in WEFT_AGENT_HOSTS ("name=PA name=PA ..."), writing each host's id and agent token to
# OUT_DIR/<name>.env for its agent (docker/agent-entrypoint.sh reads it). A host that exists but
# whose file is gone gets a new token. Needs curl and jq; uses the operator account.
set -eu
FABRIC="${WEFT_FABRIC_URL:?}"
AUTH="admin:${WEFT_ADMIN_PASSWORD:?}"
OUT="${OUT_DIR:-/var/lib/weft-hosts}"
LN_NAME="${WEFT_LOGICAL_NETWORK:-compose}"
LN_CIDR="${WEFT_PA_CIDR:?}"
ENCAP="${WEFT_ENCAPSULATION:-NVGRE}"
api() { # METHOD PATH [JSON]
  if [ $# -ge 3 ]; then
    curl -fsS -u "$AUTH" -X "$1" -H 'Content-Type: application/json' -d "$3" "$FABRIC/api/v1$2"
  else
    curl -fsS -u "$AUTH" -X "$1" "$FABRIC/api/v1$2"
  fi
}
i=0
until curl -fsS "$FABRIC/actuator/health/readiness" >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -le 120 ] || { echo "fabric never became ready" >&2; exit 1; }; sleep 2
done
mkdir -p "$OUT"
LN="$(api GET /logical-networks | jq -r --arg n "$LN_NAME" '.[] | select(.name == $n) | .id')"
if [ -z "$LN" ]; then
  LN="$(api POST /logical-networks \
    "$(jq -nc --arg n "$LN_NAME" --arg c "$LN_CIDR" --arg e "$ENCAP" \
      '{name: $n, paCidr: $c, encapsulation: $e}')" | jq -r .id)"
  echo "created logical network $LN_NAME ($LN_CIDR, $ENCAP)"
fi
for entry in ${WEFT_AGENT_HOSTS:?}; do
  name="${entry%%=*}"; pa="${entry#*=}"
  [ -s "$OUT/$name.env" ] && { echo "$name: already registered"; continue; }
  id="$(api GET /hosts | jq -r --arg n "$name" '.[] | select(.name == $n) | .id')"
  if [ -n "$id" ]; then
    answer="$(api POST "/hosts/$id/token")"
  else
    answer="$(api POST /hosts "$(jq -nc --arg n "$name" --arg l "$LN" --arg p "$pa" \
      '{name: $n, logicalNetworkId: $l, providerAddress: $p}')")"
  fi
  umask 077
  printf 'WEFT_HOST_ID=%s\nWEFT_HOST_TOKEN=%s\n' \
    "$(echo "$answer" | jq -r .host.id)" "$(echo "$answer" | jq -r .agentToken)" > "$OUT/$name.env.tmp"
  mv "$OUT/$name.env.tmp" "$OUT/$name.env"
  echo "$name: registered with PA $pa"
done
