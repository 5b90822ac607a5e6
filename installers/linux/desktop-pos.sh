#!/bin/sh
# /usr/bin/desktop-pos: start the bundle installed under /opt/desktop-pos.
exec /opt/desktop-pos/desktop-pos "$@"
