#!/bin/bash
# Arguments: monitoring server address, host name of this instance.
echo "Server=$1" > /etc/monitor-agent.conf
echo "Hostname=$2" >> /etc/monitor-agent.conf
echo "agent configured"
