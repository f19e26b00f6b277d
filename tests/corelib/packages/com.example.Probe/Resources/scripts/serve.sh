#!/bin/sh
# $1: page text, $2: "True" to fail on purpose
if [ "$2" = "True" ] || [ "$2" = "true" ]; then
  echo "serve.sh: asked to fail"
  echo "serve.sh: broken on purpose" >&2
  exit 3
fi
mkdir -p /srv/www
printf '%s' "$1" > /srv/www/index.html
cd /srv/www
nohup python3 -m http.server 8080 --bind 0.0.0.0 >/var/log/www.log 2>&1 &
sleep 0.5
echo "started"
