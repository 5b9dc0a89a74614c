#!/usr/bin/env bash
# Re-vendors the GraphiQL page's assets (api/graphiql/assets/) from the npm registry with
# `npm pack`, at the versions pinned below; then `make graphiql-assets` has nothing to change
# unless a version here was changed. Needs npm and tar. See api/graphiql/assets/README.md.
set -euo pipefail

GRAPHIQL=3.8.3
REACT=18.2.0
EXPLORER=1.0.2

assets="$(cd "$(dirname "$0")" && pwd)/assets"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

unpack() {  # unpack NAME VERSION: the package's files into $work/NAME
  local tarball
  tarball="$(cd "$work" && npm pack --silent "$1@$2")"
  mkdir -p "$work/$1"
  tar -xzf "$work/$tarball" -C "$work/$1" --strip-components=1
}

unpack graphiql "$GRAPHIQL"
unpack react "$REACT"
unpack react-dom "$REACT"
unpack @graphiql/plugin-explorer "$EXPLORER"

cp "$work/graphiql/graphiql.min.js" "$work/graphiql/graphiql.min.css" "$assets/"
cp "$work/graphiql/LICENSE" "$assets/LICENSE.graphiql"
cp "$work/react/umd/react.production.min.js" "$assets/"
cp "$work/react-dom/umd/react-dom.production.min.js" "$assets/"
cp "$work/react/LICENSE" "$assets/LICENSE.react"
cp "$work/@graphiql/plugin-explorer/dist/index.umd.js" "$assets/plugin-explorer.umd.js"
cp "$work/@graphiql/plugin-explorer/dist/style.css" "$assets/plugin-explorer.css"
(cd "$assets" && sha256sum ./*.min.js ./*.min.css ./plugin-explorer.* > SHA256SUMS)
echo "GraphiQL $GRAPHIQL, React $REACT, explorer plugin $EXPLORER in $assets"
