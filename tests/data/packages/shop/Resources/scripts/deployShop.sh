#!/bin/bash
# Arguments: database host, password, currency.
set -e
mkdir -p /var/www/html/shop
sed -e "s/%HOST%/$1/" -e "s/%PASSWORD%/$2/" -e "s/%CURRENCY%/$3/" shop.conf > /var/www/html/shop/shop.conf
echo "shop deployed"
