#!/usr/bin/env bash
# What can be checked of docker/ without a Docker engine: the compose file parses and is wired
# consistently (images built from Dockerfiles that exist, agents' PAs inside the network and on the
# registrar's list, the linux agent's capabilities), every file the Dockerfiles COPY exists and is
# not excluded by .dockerignore, the shell scripts parse, and the agent image's build stage
# (docker/agent-build.sh) produces an agent that starts, serves /health and refuses bad options.
# Usage: docker/check.sh [--no-build]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fail() { echo "docker/check.sh: $*" >&2; exit 1; }

for s in docker/*.sh; do bash -n "$s" || fail "$s does not parse"; done
for s in docker/agent-entrypoint.sh docker/register-hosts.sh; do
  sh -n "$s" || fail "$s is not POSIX sh"
done

/usr/bin/python3 - <<'PY' || fail "compose.yaml is inconsistent"
import ipaddress, os, re, sys, yaml
doc = yaml.safe_load(open("docker/compose.yaml"))
services = doc["services"]
problems = []
for name, svc in services.items():
    build = svc.get("build")
    if build:
        ctx = os.path.normpath(os.path.join("docker", build["context"]))
        dockerfile = os.path.join(ctx, build["dockerfile"])
        if not os.path.exists(dockerfile):
            problems.append(f"{name}: {dockerfile} missing")
    for dep in (svc.get("depends_on") or []):
        if dep not in services:
            problems.append(f"{name}: depends on unknown service {dep}")
    for vol in svc.get("volumes") or []:
        src = vol.split(":")[0]
        if not src.startswith(".") and src not in (doc.get("volumes") or {}):
            problems.append(f"{name}: volume {src} not declared")
subnet = ipaddress.ip_network(doc["networks"]["weft"]["ipam"]["config"][0]["subnet"])
dynamic = ipaddress.ip_network(doc["networks"]["weft"]["ipam"]["config"][0]["ip_range"])
registrar = services["register-hosts"]["environment"]
hosts = dict(e.split("=") for e in registrar["WEFT_AGENT_HOSTS"].split())
if ipaddress.ip_network(registrar["WEFT_PA_CIDR"]) != subnet:
    problems.append("the logical network's PA CIDR is not the compose network")
agents = [n for n in services if n.startswith("agent-")]
for name in agents:
    svc = services[name]
    ip = ipaddress.ip_address(svc["networks"]["weft"]["ipv4_address"])
    if ip not in subnet or ip in dynamic:
        problems.append(f"{name}: {ip} outside the subnet or inside Docker's dynamic range")
    if hosts.get(name) != str(ip):
        problems.append(f"{name}: registered PA {hosts.get(name)} is not its address {ip}")
    env = svc["environment"]
    if not env["WEFT_HOST_ENV_FILE"].endswith(f"/{name}.env"):
        problems.append(f"{name}: reads another host's token file")
    if env["WEFT_BACKEND"] == "linux":
        if not {"NET_ADMIN", "NET_RAW"} <= set(svc.get("cap_add", [])):
            problems.append(f"{name}: the linux backend needs NET_ADMIN and NET_RAW")
        if not any(d.startswith("/dev/net/tun") for d in svc.get("devices", [])):
            problems.append(f"{name}: the linux backend needs /dev/net/tun")
if sorted(hosts) != sorted(agents):
    problems.append(f"registrar hosts {sorted(hosts)} != agent services {sorted(agents)}")
if not any(services[a]["environment"]["WEFT_BACKEND"] == "linux" for a in agents):
    problems.append("no linux agent")
# COPY sources exist and are not excluded from the build context.
ignored = [l.strip() for l in open(".dockerignore") if l.strip() and not l.startswith("#")]
for dockerfile in ("docker/Dockerfile", "docker/agent.Dockerfile"):
    for line in open(dockerfile):
        m = re.match(r"COPY\s+(?!--from)(\S+)\s", line)
        if m and m.group(1) != "." and not os.path.exists(m.group(1)):
            problems.append(f"{dockerfile}: COPY {m.group(1)} missing")
for needed in ("mvnw", ".mvn", "pom.xml", "docker/agent-build.sh"):
    if any(needed == i or needed.startswith(i.rstrip("/") + "/") for i in ignored):
        problems.append(f".dockerignore excludes {needed}, which the build needs")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"compose.yaml: {len(services)} services, agents {agents}: consistent")
PY

[ "${1:-}" = "--no-build" ] && exit 0
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
docker/agent-build.sh "$OUT/agent"
# A bad option: the problem and exit status 2.
set +e
"$OUT/agent/agent-entrypoint.sh" --backend=dpdk 2>"$OUT/err"
status=$?
set -e
[ "$status" -eq 2 ] || fail "a bad option exited $status, not 2"
grep -q -- "--backend: must be memory or linux" "$OUT/err" || fail "bad option not named: $(cat "$OUT/err")"
# The entrypoint reads the host id and token from the registrar's file, the agent serves /health.
printf 'WEFT_HOST_ID=check-host\nWEFT_HOST_TOKEN=t\n' > "$OUT/check-host.env"
WEFT_HOST_ENV_FILE="$OUT/check-host.env" WEFT_FABRIC_URL=http://127.0.0.1:9 \
  WEFT_AGENT_STATE="$OUT/state" WEFT_AGENT_HTTP=127.0.0.1:19465 \
  "$OUT/agent/agent-entrypoint.sh" >"$OUT/agent.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  body="$(curl -s http://127.0.0.1:19465/health || true)"
  [ -n "$body" ] && break
  sleep 0.2
done
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "$body" | grep -q '"hostId":"check-host"' || fail "agent did not serve /health: $body $(cat "$OUT/agent.log")"
echo "docker/check.sh: agent image contents build and run (health: $body)"
