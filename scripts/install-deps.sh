#!/usr/bin/env bash
# Installs the system libraries the build links (liblz4, zlib) when they are missing, so that
# `make test` and `make run` work on a fresh Debian machine with nothing else done first.
set -euo pipefail
missing=()
[ -f /usr/include/lz4.h ] || missing+=(liblz4-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "cockatrice needs ${missing[*]}; installing with apt-get..." >&2
if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: apt-get not found: install ${missing[*]} (liblz4 and zlib headers) with your package manager" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
        echo "error: not root and no sudo: run 'apt-get install ${missing[*]}' as root" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
echo "installed ${missing[*]}" >&2
