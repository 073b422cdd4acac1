# Shared by bench/run and bench/slow-requests: packages, the build, and the topology under measurement.
# Sourced, not run. Expects $root and $work to be set.

die() { echo "bench: $*" >&2; exit 2; }

# Installs Debian packages that are missing (as root, or with sudo). Each argument is a command that is
# also its package's name, or command:package.
require_packages() {
  local missing=() wanted command
  for wanted in "$@"; do
    command=${wanted%%:*}
    command -v "$command" >/dev/null || [ -x "/usr/sbin/$command" ] || missing+=("${wanted#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "bench: installing ${missing[*]}" >&2
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}; install them and run again"
}

build() {
  echo "bench: building" >&2
  mvn -B -q -f "$root/pom.xml" -DskipTests -pl launcher -am package >/dev/null || die "the build failed"
}

# Starts the launcher's topology in the background (TIERLINE_* from the caller's environment) and waits
# until it is up; sets launcher_pid and web_pid.
start_topology() {
  java -jar "$root/launcher/target/tierline-launcher.jar" run >"$work/launcher.log" 2>&1 &
  launcher_pid=$!
  for _ in $(seq 1 240); do
    grep -q "Press Ctrl-C" "$work/launcher.log" && break
    kill -0 "$launcher_pid" 2>/dev/null || die "the launcher stopped: $(tail -n 3 "$work/launcher.log")"
    sleep 0.5
  done
  grep -q "Press Ctrl-C" "$work/launcher.log" || die "the topology did not start in 2 minutes"
  web_pid=$(pgrep -f "catalina.base=$TIERLINE_RUN_DIR/web " | head -n 1)
  [ -n "$web_pid" ] || die "cannot find the web tier's JVM"
}

stop_topology() {
  if [ -n "${launcher_pid:-}" ]; then kill "$launcher_pid" 2>/dev/null || true; wait "$launcher_pid" 2>/dev/null || true; fi
  return 0
}
