#!/usr/bin/env bash
# Makes sure node_modules is current and prosody, redis-server, redis-sentinel and ejabberd are installed; with --extras also chromium and
# python3-slixmpp (the browser test of the payment pages, the always-next XEP-0050 client); only the npm packages
# with --npm-only (the unit tests need no server).
set -euo pipefail
cd "$(dirname "$0")/.."

# --- npm packages -----------------------------------------------------------
# npm rewrites node_modules/.package-lock.json on every install; the directory's own
# mtime is useless (vitest writes its cache under node_modules/.vite).
marker=node_modules/.package-lock.json
[ -e "$marker" ] || marker=node_modules
if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt "$marker" ]; then
    echo "ensure-deps: installing npm packages (npm ci)" >&2
    npm ci --no-audit --no-fund
    touch node_modules/.package-lock.json
  fi
elif [ ! -d node_modules ] || [ package.json -nt "$marker" ]; then
  echo "ensure-deps: installing npm packages (npm install)" >&2
  npm install --no-audit --no-fund
  touch node_modules/.package-lock.json
fi

[ "${1:-}" = "--npm-only" ] && exit 0

# --- system packages: prosody, redis-server (and chromium, python3-slixmpp with --extras) -------
# The extras are only for two tests (each is skipped, saying so, without it); CI asks for them.
missing=()
command -v prosody >/dev/null 2>&1 && command -v prosodyctl >/dev/null 2>&1 || missing+=(prosody)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The Sentinel failover test (test/integration/sentinel.test.ts).
command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
# Two bot processes behind one ejabberd (test/integration/ejabberd.test.ts).
ls -d /usr/lib/*/ejabberd-[0-9]* >/dev/null 2>&1 || missing+=(ejabberd)
if [ "${1:-}" = "--extras" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import slixmpp' 2>/dev/null || missing+=(python3-slixmpp)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing ${missing[*]}: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "ensure-deps: installing ${missing[*]} with apt-get" >&2
# Keep the Debian packages from starting their system services during install
# (we run our own instances on free ports). Only add a policy-rc.d if none exists.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  added_policy=1
fi
cleanup() { if [ "$added_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
