#!/usr/bin/env bash
# `npm run demo [-- --no-chat | --no-bot]`: a private Prosody + Redis with sample numbers and the bot, ready to talk to.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec npx tsx scripts/demo.ts "$@"
