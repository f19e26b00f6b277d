#!/bin/bash
mysql --user=root -e "CREATE DATABASE IF NOT EXISTS %DATABASE%"
