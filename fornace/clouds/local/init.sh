#!/bin/bash
# Boot of one local-cloud instance. Started by the driver as
#   nsenter --net=<netns> unshare --mount --uts --ipc --pid --fork --kill-child \
#       bash init.sh <instance dir> <hostname> <ready fd>
# so this script is PID 1 of fresh pid, mount (private propagation), uts and
# ipc namespaces, inside the instance's network namespace. It mounts the
# instance's root from <instance dir>/fstab (an overlay of the host's / with
# the instance's private upper layer, then /dev, /proc, /sys, /run, the
# hidden state folder and the bind mounts, in that order), signals "ready" on
# the given fd, then stays PID 1 inside the chroot while the boot script runs.
set -euo pipefail
dir=$1 name=$2 ready=$3

if [ -s "$dir/cgroups" ]; then
    while read -r cg; do echo 0 > "$cg/cgroup.procs"; done < "$dir/cgroups"
fi
mount --all --fstab "$dir/fstab"
echo "$name" > /proc/sys/kernel/hostname
echo ready >&"$ready"
exec {ready}>&-
exec chroot "$dir/merged" /bin/bash -c '
    cd /
    export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    /bin/sh /var/lib/fornace/boot.sh </dev/null &
    while :; do sleep 3600 & wait $!; done'
