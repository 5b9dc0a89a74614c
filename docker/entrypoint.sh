#!/bin/sh
# Bring the database schema up to date, then serve; `exec` so signals reach the server.
set -eu
omniorder migrate
exec omniorder serve --host 0.0.0.0 --port 8000 "$@"
