#!/bin/bash
# Boot of one local-cloud instance. Started by the driver as
#   nsenter --net=<netns> unshare --mount --uts --ipc --pid --fork --kill-child \
#       bash init.sh <instance dir> <hostname> <ready fd> <folder to hide>
# so this script is PID 1 of fresh pid, mount, uts and ipc namespaces, inside
# the instance's network namespace. It builds the root (an overlay of the
# host's / with the instance's private upper layer), signals "ready" on the
# given fd, then stays PID 1 inside the chroot while the boot script runs.
set -euo pipefail
dir=$1 name=$2 ready=$3 hide=$4
root=$dir/merged

if [ -s "$dir/cgroups" ]; then
    while read -r cg; do echo 0 > "$cg/cgroup.procs"; done < "$dir/cgroups"
fi
mount --make-rprivate /
mount -t overlay "fornace-$name" -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$root"
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mkdir -p "$root$hide"
mount -t tmpfs -o mode=0700,size=1m tmpfs "$root$hide"
if [ -s "$dir/binds" ]; then
    while IFS=$'\t' read -r src dst mode; do
        mkdir -p "$root$dst"
        mount --bind "$src" "$root$dst"
        if [ "$mode" = ro ]; then mount -o remount,bind,ro "$root$dst"; fi
    done < "$dir/binds"
fi
hostname "$name"
echo ready >&"$ready"
exec {ready}>&-
exec chroot "$root" /bin/bash -c '
    cd /
    export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    /bin/sh /var/lib/fornace/boot.sh </dev/null &
    while :; do sleep 3600 & wait $!; done'
