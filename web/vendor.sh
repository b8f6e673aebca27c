#!/usr/bin/env bash
# Re-vendors the staff UI's front-end assets from the npm registry at the
# pinned versions below (no bundler, no node_modules at run time). The
# NHS.UK stylesheet's @font-face rules are removed: they fetch Frutiger
# from assets.nhs.uk, and a page with patient data must not call out to
# another site (the UI falls back to Arial, as the NHS.UK frontend does
# when the font is missing).
set -euo pipefail
cd "$(dirname "$0")"
NHSUK=10.6.1 HTMX=2.0.11 UPLOT=1.6.32
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "nhsuk-frontend@$NHSUK" "htmx.org@$HTMX" "uplot@$UPLOT" >/dev/null)
for f in "$tmp"/*.tgz; do d="$tmp/$(basename "$f" .tgz)"; mkdir -p "$d"; tar xzf "$f" -C "$d"; done
out=static/vendor; rm -rf "$out"; mkdir -p "$out/images"
n="$tmp/nhsuk-frontend-$NHSUK/package"
sed -E 's/@font-face\{[^}]*\}//g' "$n/dist/nhsuk/nhsuk-frontend.min.css" > "$out/nhsuk-frontend.min.css"
cp "$n/dist/nhsuk/assets/images/"*.svg "$n/dist/nhsuk/assets/images/favicon.ico" "$out/images/"
cp "$n/LICENSE" "$out/LICENSE.nhsuk-frontend" 2>/dev/null || cp "$n/package.json" "$out/package.nhsuk-frontend.json"
cp "$tmp/htmx.org-$HTMX/package/dist/htmx.min.js" "$out/htmx.min.js"
cp "$tmp/htmx.org-$HTMX/package/LICENSE" "$out/LICENSE.htmx"
cp "$tmp/uplot-$UPLOT/package/dist/uPlot.iife.min.js" "$tmp/uplot-$UPLOT/package/dist/uPlot.min.css" "$out/"
cp "$tmp/uplot-$UPLOT/package/LICENSE" "$out/LICENSE.uplot"
printf 'nhsuk-frontend %s\nhtmx.org %s\nuplot %s\n' "$NHSUK" "$HTMX" "$UPLOT" > "$out/VERSIONS"
echo "vendored into $out:"; ls "$out"
