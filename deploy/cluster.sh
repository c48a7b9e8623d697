#!/usr/bin/env bash
# A local cluster for developers and the Cluster tests: PostgreSQL, two app instances and nginx in front, all on
# loopback, from Debian's packages (apt-get install -y postgresql nginx).
#   deploy/cluster.sh up      # builds the app, starts everything, prints the address and the demo accounts' password
#   deploy/cluster.sh down    # stops everything and removes its state
#   deploy/cluster.sh status
#   deploy/cluster.sh stop-instance 5102 [KILL] | start-instance 5102 | restart-instance 5102
# Ports: nginx 8080, instances 5101 and 5102, PostgreSQL 55433. State in /tmp/dezhihub-cluster (logs in logs/).
# The tests move them (DEZHIHUB_CLUSTER_PORT, DEZHIHUB_CLUSTER_INSTANCES="a b", DEZHIHUB_CLUSTER_PG_PORT,
# DEZHIHUB_CLUSTER_STATE; DEZHIHUB_CLUSTER_DEMO=false for an empty city); the instances inherit the environment, so
# DezhiHub__… settings set here reach them.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${DEZHIHUB_CLUSTER_STATE:-/tmp/dezhihub-cluster}
pg_port=${DEZHIHUB_CLUSTER_PG_PORT:-55433}
proxy_port=${DEZHIHUB_CLUSTER_PORT:-8080}
read -r -a ports <<<"${DEZHIHUB_CLUSTER_INSTANCES:-5101 5102}"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=dezhihub"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# stop_instance <port> [signal]: TERM (the default) lets the instance drain; KILL is a node dying. Waits for the exit.
stop_instance() {
  local pid_file=$state/instance-$1.pid pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pid_file"
}

start_instance() {
  local port=$1
  mkdir -p "$state/instance-$port" "$state/logs"
  # From the published folder: the content root (static files and their manifest) is the working directory.
  (
    cd "$state/app"
    export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$port
    export DezhiHub__DataPath="$state/instance-$port" DezhiHub__FilesPath="$state/files"
    export DezhiHub__Database__Provider=PostgreSQL ConnectionStrings__DezhiHub="$connection"
    export DezhiHub__KnownProxies__0=127.0.0.1 DezhiHub__SeedDemoData=${DEZHIHUB_CLUSTER_DEMO:-true}
    exec nohup dotnet DezhiHub.Web.dll >"$state/logs/instance-$port.log" 2>&1
  ) &
  echo $! >"$state/instance-$port.pid"
}

wait_ready() {
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "instance on port $1 did not become ready; see $state/logs/instance-$1.log" >&2
  return 1
}

case "${1:-}" in
  up)
    [ -n "$pg_bin" ] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; }
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is not installed (apt-get install -y nginx)" >&2; exit 1; }
    mkdir -p "$state/logs" "$state/files"
    # initdb refuses root: the server runs as postgres, which must write its data and log here.
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$state"; fi
    if [ ! -d "$state/pg" ]; then
      as_postgres "$pg_bin/initdb" -D "$state/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$state/logs/initdb.log"
    fi
    as_postgres "$pg_bin/pg_ctl" -D "$state/pg" -l "$state/logs/postgres.log" -w start \
      -o "-p $pg_port -k $state -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
    dotnet publish DezhiHub.Web -c Release -o "$state/app" -v quiet -nologo >"$state/logs/publish.log"
    # Started together: the startup lock lets one create, migrate and seed the database; the others find it done.
    for port in "${ports[@]}"; do start_instance "$port"; done
    for port in "${ports[@]}"; do wait_ready "$port"; done
    # The shipped nginx site, made loopback: an upstream of these instances (however many), this port, no TLS, and
    # which instance answered (X-Upstream) for the tests.
    sed -e "s/listen 443 ssl http2 /listen 127.0.0.1:$proxy_port /" -e "/ssl_certificate/d" -e "s/ Secure;//" \
        -e 's|^        proxy_pass http://dezhihub;|        proxy_pass http://dezhihub;\n        add_header X-Upstream $upstream_addr always;|' \
        deploy/nginx/dezhihub.conf | awk -v ports="${ports[*]}" '
          /^    server 127\.0\.0\.1:500[0-9] / { if (!done) { n = split(ports, p, " "); for (i = 1; i <= n; i++) printf "    server 127.0.0.1:%s max_fails=1 fail_timeout=10s;\n", p[i]; done = 1 } next }
          /^server \{$/ { servers++ }
          servers < 2' >"$state/site.conf"
    cat >"$state/nginx.conf" <<CONF
pid $state/nginx.pid;
error_log $state/logs/nginx-error.log;
events { worker_connections 16384; }
http {
    access_log $state/logs/nginx-access.log;
    client_body_temp_path $state/nginx-body;
    proxy_temp_path $state/nginx-proxy;
    include /etc/nginx/mime.types;
    include $state/site.conf;
}
CONF
    nginx -c "$state/nginx.conf" -p "$state"
    curl -fs "http://127.0.0.1:$proxy_port/health/ready" >/dev/null
    echo "DezhiHub cluster up: http://127.0.0.1:$proxy_port/ (instances ${ports[*]}, PostgreSQL $pg_port; demo accounts' password taihang-2026)"
    ;;
  down)
    [ -f "$state/nginx.pid" ] && nginx -c "$state/nginx.conf" -p "$state" -s stop 2>/dev/null || true
    for port in "${ports[@]}"; do stop_instance "$port"; done
    [ -d "$state/pg" ] && as_postgres "$pg_bin/pg_ctl" -D "$state/pg" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$state"
    echo "DezhiHub cluster down"
    ;;
  restart-instance)
    # deploy/cluster.sh restart-instance 5102: a node stopped (SIGTERM, drained) and started again.
    stop_instance "$2"; start_instance "$2"; wait_ready "$2"
    ;;
  stop-instance)
    # deploy/cluster.sh stop-instance 5102 [KILL]: SIGTERM (drain: requests in flight and running jobs finish,
    # circuits move) or kill -9; returns once the process is gone.
    stop_instance "$2" "${3:-TERM}"
    ;;
  start-instance)
    start_instance "$2"; wait_ready "$2"
    ;;
  status)
    for port in "${ports[@]}"; do printf "instance %s: " "$port"; curl -s "http://127.0.0.1:$port/health/ready" || printf "down"; echo; done
    printf "nginx %s: " "$proxy_port"; curl -s "http://127.0.0.1:$proxy_port/health/ready" || printf "down"; echo
    ;;
  *)
    echo "usage: deploy/cluster.sh up|down|status|stop-instance <port> [KILL]|start-instance <port>|restart-instance <port>" >&2
    exit 2
    ;;
esac
