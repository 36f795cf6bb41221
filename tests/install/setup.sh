#!/usr/bin/env bash
# setup.sh BUILD DIR: installs the build into DIR/prefix, then moves it to DIR/moved, so that the checks
# (check.sh) use an install whose prefix no longer exists at the path it was installed to.
set -euo pipefail
build=$1 dir=$2
rm -rf "$dir"
mkdir -p "$dir"
cmake --install "$build" --prefix "$dir/prefix" >"$dir/install.log"
mv "$dir/prefix" "$dir/moved"
echo "installed $(wc -l <"$build/install_manifest.txt") files, moved to $dir/moved"
