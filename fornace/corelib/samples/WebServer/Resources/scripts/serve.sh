#!/bin/sh
# serve.sh PAGE PORT: write the page and serve /srv/www on PORT (python3's http.server).
set -e
mkdir -p /srv/www
printf '%s\n' "$1" > /srv/www/index.html
cd /srv/www
nohup python3 -m http.server "$2" --bind 0.0.0.0 >/var/log/webserver.log 2>&1 &
for _ in 1 2 3 4 5 6 7 8 9 10; do
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$2" 2>/dev/null; then
    echo "serving on port $2"; exit 0
  fi
  sleep 0.3
done
echo "the web server did not start" >&2
exit 1
