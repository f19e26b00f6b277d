#!/bin/bash
mysql --user=root -e "CREATE USER '%USER%'@'%' IDENTIFIED BY '%PASSWORD%'"
