#!/bin/bash
# Install Apache and open port 80.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q apache2
service apache2 restart
