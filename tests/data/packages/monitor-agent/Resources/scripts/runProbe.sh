#!/bin/bash
python3 addProbe.py "$1" "$2" "$3"
