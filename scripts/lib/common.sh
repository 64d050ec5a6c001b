# Shared by the scripts: locations, installation of what is missing, build, and
# the resolved settings of one stack. Source it; do not run it.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN_DIR="$ROOT/.build/release"
VENV="$ROOT/.venv"
SYSTEM_PACKAGES=(pkg-config curl libfcgi-dev liblmdb-dev libcurl4-openssl-dev libssl-dev nginx supervisor wrk)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root to run: $* (install sudo or run as root)"
    fi
}

# Debian packages: installed only when one is missing, so a ready machine pays nothing.
ensure_system_packages() {
    local missing=() package
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The virtualenv (emulator and test tools), rebuilt when the requirements change.
ensure_venv() {
    local requirements="$ROOT/Tests/e2e/requirements.txt" stamp="$VENV/.requirements.sha256" wanted
    wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then return 0; fi
    say "preparing the Python virtualenv in .venv"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -r "$requirements"
    echo "$wanted" > "$stamp"
}

build_release() {
    say "building (release)"
    (cd "$ROOT" && swift build -c release 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' ) || die "build failed"
    [ -x "$BIN_DIR/voicectl" ] || die "build did not produce $BIN_DIR/voicectl"
}

# Resolves and exports the stack's settings (.env under the environment, validated
# by the same code the endpoints use), with VAR_DIR made absolute. In local mode
# that includes the emulator's endpoint and the simulator's Twilio account, so
# every process (nginx, the endpoints, the simulator) agrees on them.
load_settings() {
    cd "$ROOT"
    local exports
    exports=$("$BIN_DIR/voicectl" config shell) || die "the configuration is not valid (see above)"
    eval "$exports"
    mkdir -p "$VAR_DIR"
    VAR_DIR=$(cd "$VAR_DIR" && pwd)
    export VAR_DIR BIN_DIR
    SUPERVISOR_CONF="$VAR_DIR/conf/supervisord.conf"
}

supervisor_running() {
    [ -S "$VAR_DIR/run/supervisor.sock" ] && [ -f "$VAR_DIR/run/supervisord.pid" ] \
        && kill -0 "$(cat "$VAR_DIR/run/supervisord.pid")" 2>/dev/null
}

ctl() { supervisorctl -c "$SUPERVISOR_CONF" "$@"; }

# A first run gets a .env from .env.example with a random API_KEY, so the
# operator endpoints work out of the box and the key is not a published default.
ensure_env_file() {
    [ -n "${ENV_FILE:-}" ] && return 0
    [ -f "$ROOT/.env" ] && return 0
    local key
    key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
    sed "s/^API_KEY=.*/API_KEY=$key/" "$ROOT/.env.example" > "$ROOT/.env"
    say "created .env from .env.example with a random API_KEY (see .env)"
}
