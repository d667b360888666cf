#!/usr/bin/env bash
# Reload under load (issue 26), on loopback only: the real proxy process, its config in a
# directory laid out as a mounted ConfigMap, rules changed by SIGHUP and by a symlink swap while
# keep-alive clients and open tunnels run; a broken file and a listen change too. See reload.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NAME="reload e2e"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
make_tmp hopwise-reload
install_missing python3 python3
timeout 300 python3 e2e/reload.py "$(hopwise_jar)" "$TMP" || fail "reload under load failed (proxy output: $TMP/proxy.log)"
