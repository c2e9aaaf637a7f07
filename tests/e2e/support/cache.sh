# A real HTTP cache server for the remote-cache tests (sourced after lib.sh): nginx with WebDAV PUT, on a
# free loopback port, with its prefix, config, pid, logs and data in a folder of the test's scratch dir.
# No root needed; stopped when the test exits.
#
#   start_nginx DIR [readonly]   starts it; sets NGINX_URL (http://127.0.0.1:PORT/cache) and NGINX_ROOT
#                                (the folder behind that URL: cas/ and ac/ appear there). `readonly`: no
#                                WebDAV, so every PUT is refused (405)
#   free_port                    prints a loopback port nothing listens on (for a server that is down)
#   CACHE_PROFILES               -p flags for a demo build of 4 variants at 2 optimize levels (Os, Oz)
#   no_worker_build ARGS...      runs `build ARGS...` with FLEETPACK_TEST_WORKER_FAULT='*' (every worker
#                                aborts): it succeeds only if the build starts no Binaryen worker at all

: "${NGINX_BIN:=nginx}"
CACHE_PROFILES=(-p modern -p stick-2022 -p chrome74 -p chrome75 -p chrome85)

no_worker_build() {
  FLEETPACK_TEST_WORKER_FAULT='*' run_fp 0 build "$@"
}

free_port() {
  "$NODE" -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

_nginx_pids=()
_stop_nginx() {
  local pid
  for pid in "${_nginx_pids[@]}"; do
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
}
trap _stop_nginx EXIT

start_nginx() {
  local dir="$1" mode="${2:-dav}" port tries dav=""
  command -v "$NGINX_BIN" > /dev/null 2>&1 || fail "needs nginx (Debian package nginx; scripts/dev.sh installs it)"
  [[ "$mode" == readonly ]] || dav="dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r;"
  mkdir -p "$dir/root/cache" "$dir/tmp" "$dir/logs"
  for tries in 1 2 3 4 5; do
    port=$(free_port)
    # master_process off: one process, which keeps the user that started it (no switch to nobody).
    cat > "$dir/nginx.conf" << CONF
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log $dir/logs/access.log;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/root;
    client_max_body_size 1g;
    location /cache/ { $dav }
  }
}
CONF
    # env -u NGINX: nginx reads inherited listening sockets from a variable of that name.
    env -u NGINX "$NGINX_BIN" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" &
    local pid=$!
    local i
    for i in $(seq 50); do
      if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
        _nginx_pids+=("$pid")
        NGINX_URL="http://127.0.0.1:$port/cache"
        NGINX_ROOT="$dir/root/cache"
        note "nginx ($mode) on port $port, pid $pid"
        return 0
      fi
      kill -0 "$pid" 2> /dev/null || break  # it exited: the port was taken after all, try another
      sleep 0.1
    done
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  cat "$dir/logs/error.log" >&2 || true
  fail "nginx did not start (see its error log above)"
}

# Every file under DIR's cas/ is named by the SHA-256 of its bytes, and no temporary file is left in cas/
# or ac/. Prints the number of blobs checked.
assert_store_consistent() {
  local dir="$1" f n=0
  [[ -d "$dir/cas" && -d "$dir/ac" ]] || fail "$dir holds no cas/ and ac/"
  if compgen -G "$dir/cas/.tmp-*" > /dev/null || compgen -G "$dir/ac/.tmp-*" > /dev/null; then
    fail "temporary files left in $dir"
  fi
  for f in "$dir"/cas/*; do
    [[ -f "$f" ]] || continue
    [[ "$(sha256sum < "$f" | cut -d' ' -f1)" == "$(basename "$f")" ]] || fail "inconsistent store entry: $f"
    n=$((n + 1))
  done
  ((n > 0)) || fail "$dir/cas is empty"
  echo "$n"
}
