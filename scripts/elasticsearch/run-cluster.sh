#!/usr/bin/env bash
# Start / stop a small real Elasticsearch cluster on loopback (security off).
#
#   scripts/elasticsearch/run-cluster.sh start    # fetches if needed, starts nodes, waits for green-ish
#   scripts/elasticsearch/run-cluster.sh stop     # stops every node this script started (by pid file)
#   scripts/elasticsearch/run-cluster.sh stop-node 3   # stop one node (scale-in: highest ordinal first)
#   scripts/elasticsearch/run-cluster.sh status
#
# Environment (defaults in brackets):
#   ES_NODES [4]                 nodes es-data-0..N-1
#   ES_ZONES ["b c b a"]         node.attr.zone per ordinal (cycled if shorter)
#   ES_MASTERS [1]               ordinals 0..ES_MASTERS-1 are master-eligible. Default 1: only
#                                es-data-0 is master, so stopping the highest ordinals never
#                                loses the master quorum (scale-in removes N-1, N-2, ...).
#   ES_HTTP_BASE [19200]         http.port of es-data-i = base + i
#   ES_TRANSPORT_BASE [19300]    transport.port of es-data-i = base + i
#   ES_HEAP [256m]               -Xms/-Xmx
#   ES_RUN_DIR [/tmp/es-cluster] per-node config/data/logs/tmp dirs and pid files
#   ES_RUN_USER [nobody]         ES refuses to run as root; when run as root we drop to this user
#   ES_JAVA_HOME                 default: 8.x -> the JDK of `java` on PATH (17 ok);
#                                9.x -> first JDK >= 21 under /usr/lib/jvm
#   ES_VERSION                   passed through to fetch.sh
#   ES_EXTRA_YML                 extra lines appended to every node's elasticsearch.yml
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ES_NODES="${ES_NODES:-4}"
ES_ZONES="${ES_ZONES:-b c b a}"
ES_MASTERS="${ES_MASTERS:-1}"
ES_HTTP_BASE="${ES_HTTP_BASE:-19200}"
ES_TRANSPORT_BASE="${ES_TRANSPORT_BASE:-19300}"
ES_HEAP="${ES_HEAP:-256m}"
ES_RUN_DIR="${ES_RUN_DIR:-/tmp/es-cluster}"
ES_RUN_USER="${ES_RUN_USER:-nobody}"

die() { echo "run-cluster.sh: error: $*" >&2; exit 1; }
log() { echo "run-cluster.sh: $*" >&2; }

java_major() { # $1 = java binary
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

pick_java_home() { # $1 = ES major version
  if [[ -n "${ES_JAVA_HOME:-}" ]]; then echo "$ES_JAVA_HOME"; return; fi
  local need=17; [[ "$1" -ge 9 ]] && need=21
  local j
  if command -v java >/dev/null 2>&1; then
    j="$(readlink -f "$(command -v java)")"
    if [[ "$(java_major "$j")" -ge "$need" ]]; then dirname "$(dirname "$j")"; return; fi
  fi
  for d in /usr/lib/jvm/*/; do
    d="${d%/}"
    [[ -x "$d/bin/java" ]] || continue
    if [[ "$(java_major "$d/bin/java")" -ge "$need" ]]; then echo "$d"; return; fi
  done
  die "no JDK >= $need found (set ES_JAVA_HOME)"
}

zone_of() { local -a z=($ES_ZONES); echo "${z[$(( $1 % ${#z[@]} ))]}"; }

http_port() { echo $(( ES_HTTP_BASE + $1 )); }

as_user() {
  if [[ "$(id -u)" == 0 ]]; then
    local uid gid
    uid="$(id -u "$ES_RUN_USER")"; gid="$(id -g "$ES_RUN_USER")"
    setpriv --reuid "$uid" --regid "$gid" --clear-groups "$@"
  else
    "$@"
  fi
}

node_pid() { local f="$ES_RUN_DIR/es-data-$1/es.pid"; [[ -s "$f" ]] && cat "$f"; }

start_node() { # $1 ordinal
  local i="$1" name="es-data-$1" dir="$ES_RUN_DIR/es-data-$1"
  local pid; pid="$(node_pid "$i" || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then log "$name already running (pid $pid)"; return; fi
  mkdir -p "$dir/data" "$dir/logs" "$dir/tmp"
  rm -rf "$dir/config"; cp -r "$ES_HOME/config" "$dir/config"
  local seeds="" masters="" k
  for ((k = 0; k < ES_NODES; k++)); do seeds+="${seeds:+, }\"127.0.0.1:$(( ES_TRANSPORT_BASE + k ))\""; done
  for ((k = 0; k < ES_MASTERS; k++)); do masters+="${masters:+, }\"es-data-$k\""; done
  local roles='["data", "ingest"]'
  (( i < ES_MASTERS )) && roles='["master", "data", "ingest"]'
  cat >"$dir/config/elasticsearch.yml" <<EOF
cluster.name: es-scaler-test
node.name: $name
node.roles: $roles
node.attr.zone: $(zone_of "$i")
path.data: $dir/data
path.logs: $dir/logs
network.host: 127.0.0.1
http.port: $(http_port "$i")
transport.port: $(( ES_TRANSPORT_BASE + i ))
discovery.seed_hosts: [$seeds]
cluster.initial_master_nodes: [$masters]
xpack.security.enabled: false
node.processors: 1
${ES_EXTRA_YML:-}
EOF
  if [[ "$(id -u)" == 0 ]]; then chown -R "$ES_RUN_USER:" "$dir"; fi
  local t0=$SECONDS   # `elasticsearch -d` returns once the node has started
  as_user env -i PATH=/usr/bin:/bin HOME="$dir" \
    ES_JAVA_HOME="$JAVA_HOME_ES" ES_PATH_CONF="$dir/config" ES_TMPDIR="$dir/tmp" \
    CLI_JAVA_OPTS="-Djava.io.tmpdir=$dir/tmp" \
    ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP ${ES_JAVA_OPTS_EXTRA:-}" \
    "$ES_HOME/bin/elasticsearch" -d -p "$dir/es.pid" >"$dir/stdout.log" 2>&1 \
    || { cat "$dir/stdout.log" >&2; die "$name failed to start (see $dir/logs)"; }
  log "$name started pid $(node_pid "$i") http=$(http_port "$i") zone=$(zone_of "$i") in $(( SECONDS - t0 ))s"
}

wait_http() { # $1 ordinal, $2 timeout s
  local t0=$SECONDS
  until curl --noproxy "*" -fsS "http://127.0.0.1:$(http_port "$1")/_cluster/health" >/dev/null 2>&1; do
    (( SECONDS - t0 > $2 )) && die "es-data-$1 did not answer on http within $2 s"
    sleep 0.5
  done
}

stop_node() {
  local i="$1" pid; pid="$(node_pid "$i" || true)"
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { log "es-data-$i (pid $pid) did not stop, SIGKILL"; kill -9 "$pid"; }
    log "es-data-$i stopped (pid $pid)"
  fi
  rm -f "$ES_RUN_DIR/es-data-$i/es.pid"
}

cmd="${1:-}"
case "$cmd" in
  start)
    ES_HOME="$("$SCRIPT_DIR/fetch.sh")"
    ver="$(basename "$ES_HOME")"; ver="${ver#elasticsearch-}"
    JAVA_HOME_ES="$(pick_java_home "${ver%%.*}")"
    log "ES $ver from $ES_HOME, ES_JAVA_HOME=$JAVA_HOME_ES"
    command -v curl >/dev/null 2>&1 || die "curl not found"
    for ((i = 0; i < ES_NODES; i++)); do start_node "$i"; done
    for ((i = 0; i < ES_NODES; i++)); do wait_http "$i" 180; done
    t0=$SECONDS
    until [[ "$(curl --noproxy "*" -fsS "http://127.0.0.1:$(http_port 0)/_cat/nodes?h=name" 2>/dev/null | wc -l)" -ge "$ES_NODES" ]]; do
      (( SECONDS - t0 > 180 )) && die "cluster did not reach $ES_NODES nodes"
      sleep 0.5
    done
    log "cluster formed with $ES_NODES nodes; http://127.0.0.1:$(http_port 0)"
    ;;
  stop)
    for d in "$ES_RUN_DIR"/es-data-*; do [[ -d "$d" ]] && stop_node "${d##*-}"; done
    ;;
  stop-node)
    [[ -n "${2:-}" ]] || die "usage: $0 stop-node ORDINAL"
    stop_node "$2"
    ;;
  status)
    for d in "$ES_RUN_DIR"/es-data-*; do
      [[ -d "$d" ]] || continue; i="${d##*-}"; pid="$(node_pid "$i" || true)"
      if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then echo "es-data-$i pid=$pid http=$(http_port "$i")"; else echo "es-data-$i stopped"; fi
    done
    ;;
  *) echo "usage: $0 start|stop|stop-node N|status" >&2; exit 2 ;;
esac
