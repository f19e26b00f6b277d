#!/bin/bash
set -e
install -m 600 server.conf /etc/monitor-server.conf
echo "admin_password=$1" >> /etc/monitor-server.conf
echo "server deployed"
