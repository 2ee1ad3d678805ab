#!/usr/bin/env bash
# Lays out the plugin SDK for one build of cockatrice: the module files a plugin compiles
# against, the C module maps they reference, and the ABI id the host will demand.
#
#   scripts/plugin-sdk.sh BUILD_DIR SDK_DIR
#
# BUILD_DIR is a SwiftPM build directory holding the cockatrice executable (.build/release).
# A plugin built against SDK_DIR loads only into that cockatrice (or an install of it).
set -euo pipefail
build_dir=${1:?usage: plugin-sdk.sh BUILD_DIR SDK_DIR}
sdk_dir=${2:?usage: plugin-sdk.sh BUILD_DIR SDK_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x "$build_dir/cockatrice" ] || [ ! -e "$build_dir/Modules/Core.swiftmodule" ]; then
    echo "plugin-sdk: $build_dir has no cockatrice build (run 'swift build' first)" >&2
    exit 1
fi
rm -rf "$sdk_dir"
mkdir -p "$sdk_dir/Modules" "$sdk_dir/include"
cp -R "$build_dir/Modules/." "$sdk_dir/Modules/"
# C modules of Core's dependencies, in case a module file references them. The checkouts sit in
# the scratch directory, two levels above the configuration's build directory.
scratch=$(realpath "$build_dir/../..")
for include in "$scratch"/checkouts/*/Sources/C*/include; do
    [ -d "$include" ] && cp -R "$include" "$sdk_dir/include/$(basename "$(dirname "$include")")"
done
# System-library targets keep their module map at the top of their directory (ZIPFoundation's
# CZlib, which Core's module file references since Core writes backup zips).
for map in "$scratch"/checkouts/*/Sources/C*/module.modulemap; do
    [ -f "$map" ] && cp -R "$(dirname "$map")" "$sdk_dir/include/$(basename "$(dirname "$map")")"
done
"$build_dir/cockatrice" plugins --abi-id > "$sdk_dir/abi-id"
swiftc --version 2>&1 | head -1 > "$sdk_dir/compiler"
cp "$root/scripts/build-plugin.sh" "$sdk_dir/build-plugin.sh"
echo "plugin-sdk: $sdk_dir ($(cat "$sdk_dir/abi-id"))"
