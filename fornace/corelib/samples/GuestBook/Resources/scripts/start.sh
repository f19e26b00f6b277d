#!/bin/sh
# start.sh: run guestbook.py (configured by /etc/guestbook.conf) on port 8000.
set -e
mkdir -p /opt/guestbook
cp "$(readlink -f guestbook.py)" /opt/guestbook/guestbook.py
nohup python3 /opt/guestbook/guestbook.py >/var/log/guestbook.log 2>&1 &
for _ in 1 2 3 4 5 6 7 8 9 10; do
  if python3 -c "import socket; socket.create_connection(('127.0.0.1', 8000), 1)" 2>/dev/null; then
    echo "guest book on 8000"; exit 0
  fi
  sleep 0.3
done
echo "guest book did not start" >&2
exit 1
