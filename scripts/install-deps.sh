#!/usr/bin/env bash
# Installs what the build links (liblz4, zlib) and what the tests run (openapi-spec-validator, which
# checks docs/openapi.yaml) when they are missing, so that `make test` and `make run` work on a
# fresh Debian machine with nothing else done first.
set -euo pipefail

# apt_install PACKAGE...: installs Debian packages, as root or through sudo.
apt_install() {
    echo "cockatrice needs $*; installing with apt-get..." >&2
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: apt-get not found: install $* with your package manager" >&2
        exit 1
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
            echo "error: not root and no sudo: run 'apt-get install $*' as root" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "$@" >/dev/null
    echo "installed $*" >&2
}

missing=()
[ -f /usr/include/lz4.h ] || missing+=(liblz4-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -ne 0 ]; then
    apt_install "${missing[@]}"
fi

# openapi-spec-validator (PyPI; it brings PyYAML, which the end-to-end tests use to read the spec).
# A Debian python3 refuses pip installs into the system (PEP 668): then allow it, or take Debian's package.
if ! python3 -c 'import openapi_spec_validator, yaml' >/dev/null 2>&1; then
    echo "cockatrice's tests need openapi-spec-validator; installing with pip..." >&2
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    python3 -m pip install --quiet openapi-spec-validator 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages openapi-spec-validator 2>/dev/null \
        || apt_install python3-openapi-spec-validator
    python3 -c 'import openapi_spec_validator, yaml'
    echo "installed openapi-spec-validator" >&2
fi
