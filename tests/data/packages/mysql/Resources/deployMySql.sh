#!/bin/bash
# Install and start a MySQL server listening on all interfaces.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q mysql-server
sed -i 's/^bind-address.*/bind-address = 0.0.0.0/' /etc/mysql/my.cnf || true
service mysql restart
