# Weft host agent image (./weft agent): the data plane alone, no Spring. One image for both backends:
#   memory  (default)  simulated ports in the process; needs nothing from the host
#   linux              TAP ports and NVGRE/VXLAN sockets; run with NET_ADMIN and NET_RAW and
#                      /dev/net/tun (see compose.yaml, service agent-linux-1)
# Build from the repository root: docker build -f docker/agent.Dockerfile -t weft-agent .
# The build stage runs docker/agent-build.sh, the same script that checks it on a machine without
# Docker (docker/check.sh).
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN docker/agent-build.sh /agent

FROM eclipse-temurin:25-jre
# iproute2: --configure-pa adds the PA with `ip address add`; curl and jq: health checks and
# docker/register-hosts.sh.
RUN apt-get update \
 && apt-get install -y --no-install-recommends iproute2 curl jq \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /agent /opt/weft-agent
ENV WEFT_AGENT_STATE=/var/lib/weft-agent \
    WEFT_AGENT_HTTP=0.0.0.0:9464
VOLUME /var/lib/weft-agent
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD curl -fsS http://127.0.0.1:9464/health || exit 1
ENTRYPOINT ["/opt/weft-agent/agent-entrypoint.sh"]
