#!/bin/sh
echo "installing key-value node"
