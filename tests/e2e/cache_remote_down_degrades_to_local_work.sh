#!/usr/bin/env bash
# A remote cache that is down (nothing listens), hangs (accepts and never answers) or refuses uploads (nginx
# without WebDAV: PUT gives 405) never fails the build: exactly one warning naming the URL, then local work.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/cache.sh"
setup
demo_project proj
cd proj

check_one_warning() {
  [[ $(grep -c ': warning: ' "$ERR") == 1 ]] || { show_output; fail "$1: expected exactly one warning"; }
  assert_matches "$ERR" "^$(re_escape "$2"): warning: remote cache failed \(.+\); building without it for the rest of this run$"
  assert_matches "$ERR" '^  hint: .+'
  assert_not_contains "$ERR" "error:"
  for p in modern stick-2022; do assert_matches "$OUT" "^$p +[0-9a-f]{12} +Os .* ok"; done
}

down="http://127.0.0.1:$(free_port)/cache"
start=$(date +%s)
run_fp 0 build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store1" --remote-cache "$down"
check_one_warning "server down" "$down"
assert_contains "$ERR" "Couldn't connect to server"

# A server that accepts connections and never answers: the timeout bounds each request, then one warning.
port=$(free_port)
"$NODE" -e "require('net').createServer(() => {}).listen($port, '127.0.0.1')" &
hang_pid=$!
trap 'kill $hang_pid 2> /dev/null || true; _stop_nginx' EXIT
for i in $(seq 50); do curl -s -o /dev/null --max-time 0.2 "http://127.0.0.1:$port/" && break || [[ $? == 28 ]] && break; sleep 0.1; done
hang="http://127.0.0.1:$port/cache"
t0=$(date +%s)
run_fp 0 build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store2" --remote-cache "$hang" --remote-cache-timeout 1
t1=$(date +%s)
check_one_warning "server hangs" "$hang"
assert_contains "$ERR" "Timeout"
((t1 - t0 < 10)) || fail "a hanging server delayed the build by $((t1 - t0)) s"

# A server that serves GET (404: a miss) but refuses PUT.
start_nginx "$SCRATCH/nginx" readonly
run_fp 0 build "${CACHE_PROFILES[@]}" --cache "$SCRATCH/store3" --remote-cache "$NGINX_URL"
check_one_warning "read-only server" "$NGINX_URL"
assert_contains "$ERR" "HTTP status 405"
note "down, hanging and read-only remotes: one warning each, build ok"
