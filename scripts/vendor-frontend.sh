#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# Copyright (C) 2026 Comune di Alessandria and the PEG contributors
#
# Copies the front-end packages pinned in package.json / package-lock.json into the tree:
#   bootstrap-italia -> static/vendor/bootstrap-italia/  (css, js bundle, fonts, svg sprites, LICENSE)
#   axe-core         -> tests/browser/vendor/            (axe.min.js, LICENSE, VERSION)
#   spdx-license-list -> LICENSE                         (the EUPL-1.2 text, from SPDX's data)
# Only who updates a package needs npm; the copied files are committed, so `make run` and
# `make test` need Python alone. To update: change the version in package.json, run
# `npm install --package-lock-only`, then `make vendor-frontend`, check the pages, commit.
set -eu
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work"/
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund)
modules="$work/node_modules"

version() { node -p "require('$modules/$1/package.json').version"; }

# Bootstrap Italia: the built dist, as published.
bi="$modules/bootstrap-italia"
dest=static/vendor/bootstrap-italia
rm -rf "$dest"
mkdir -p "$dest/css" "$dest/js" "$dest/svg" "$dest/fonts"
# The source map is not vendored, so its comment goes (the browser would ask for a missing file).
sed 's#/\*\# sourceMappingURL=[^*]*\*/##' "$bi/dist/css/bootstrap-italia.min.css" > "$dest/css/bootstrap-italia.min.css"
cp "$bi/dist/js/bootstrap-italia.bundle.min.js" "$dest/js/"
cp "$bi/dist/svg/sprites.svg" "$dest/svg/"
# Only woff2/woff: every browser the PEG supports reads them (static/css/fonts.css names them).
(cd "$bi/dist/fonts" && find . -name '*.woff2' -o -name '*.woff' -o -name '*.txt') | while read -r f; do
  mkdir -p "$dest/fonts/$(dirname "$f")"
  cp "$bi/dist/fonts/$f" "$dest/fonts/$f"
done
cp "$bi/LICENSE" "$dest/LICENSE"
cat > "$dest/VERSION" <<TXT
bootstrap-italia $(version bootstrap-italia) (npm), dist/ files vendored: css/bootstrap-italia.min.css, js/bootstrap-italia.bundle.min.js, svg/sprites.svg, fonts (woff2/woff).
Update: change the version in package.json, npm install --package-lock-only, make vendor-frontend (scripts/vendor-frontend.sh).
The CSS's sourceMappingURL comment is removed (the map is not vendored).
TXT

# axe-core: the accessibility engine the browser tests inject (tests/browser/test_accessibility.py).
axe="$modules/axe-core"
mkdir -p tests/browser/vendor
cp "$axe/axe.min.js" tests/browser/vendor/axe.min.js
cp "$axe/LICENSE" tests/browser/vendor/axe-core.LICENSE
echo "axe-core $(version axe-core) (npm), axe.min.js; MPL-2.0 (axe-core.LICENSE)" > tests/browser/vendor/VERSION

# The project's licence text, from SPDX's licence list rather than typed by hand.
node -e "process.stdout.write(require('$modules/spdx-license-list/licenses/EUPL-1.2.json').licenseText)" > LICENSE

echo "Copiati: bootstrap-italia $(version bootstrap-italia), axe-core $(version axe-core), LICENSE (EUPL-1.2)."
