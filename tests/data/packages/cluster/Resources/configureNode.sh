#!/bin/sh
echo "seeds=%SEEDS%" > /etc/kv-node.conf
