#!/bin/sh
# Moves the plan's file "destinationFile" (a link into the agent's store) to $1.
set -e
target="$1"
mkdir -p "$(dirname "$target")"
cp "$(readlink -f destinationFile)" "$target"
