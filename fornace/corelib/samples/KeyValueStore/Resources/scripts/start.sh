#!/bin/sh
# start.sh PORT: run kvstore.py in the background, wait until it listens.
set -e
mkdir -p /opt/kvstore
cp "$(readlink -f kvstore.py)" /opt/kvstore/kvstore.py
nohup python3 /opt/kvstore/kvstore.py "$1" >/var/log/kvstore.log 2>&1 &
for _ in 1 2 3 4 5 6 7 8 9 10; do
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$1" 2>/dev/null; then
    echo "listening on $1"; exit 0
  fi
  sleep 0.3
done
echo "kvstore did not start" >&2
exit 1
