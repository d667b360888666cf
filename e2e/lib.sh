# Shared by the end-to-end scripts (source it): a temp dir, processes stopped by PID on exit,
# free loopback ports, package installs, and failure reports that show the logs.
# The sourcing script sets NAME first (used in messages).

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "$NAME: FAIL: $*"
  for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done
  exit 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# install_missing COMMAND PACKAGE [COMMAND PACKAGE ...]: apt-get the packages whose command is missing.
install_missing() {
  local need=()
  while [ $# -gt 1 ]; do
    command -v "$1" >/dev/null 2>&1 || need+=("$2")
    shift 2
  done
  if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
}

# The proxy jar, built if missing.
hopwise_jar() {
  local jar="$root/proxy-app/target/hopwise.jar"
  [ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package) >&2
  echo "$jar"
}
