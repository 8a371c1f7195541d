#!/usr/bin/env bash
# Fetch a real Elasticsearch distribution (the "integ-test-zip" flavour) from
# Maven Central and cache it, extracted, under .cache/elasticsearch/<version>/.
#
# Idempotent: a second run only prints the path. Prints the ES_HOME path on
# stdout as its last (only) stdout line; progress goes to stderr.
#
# Usage: scripts/elasticsearch/fetch.sh            # uses ES_VERSION below
#        ES_VERSION=8.19.4 scripts/elasticsearch/fetch.sh
#
# Why 8.19.21: it is the newest version Maven Central serves for
# org.elasticsearch.distribution.integ-test-zip:elasticsearch (no 9.x is
# published under that coordinate; 9.5.6 was refused with "not found").
# 8.x runs on Java 17 (the default `java` here); ES_JAVA_HOME is resolved by
# run-cluster.sh, not needed for fetching. See README-notes.md.
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.19.21}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CACHE_ROOT="${ES_CACHE_DIR:-$REPO_ROOT/.cache/elasticsearch}"
DEST="$CACHE_ROOT/$ES_VERSION"
ES_HOME="$DEST/elasticsearch-$ES_VERSION"
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"

die() { echo "fetch.sh: error: $*" >&2; exit 1; }

# Already cached and complete?
if [[ -f "$DEST/.complete" && -x "$ES_HOME/bin/elasticsearch" ]]; then
  echo "$ES_HOME"
  exit 0
fi

command -v mvn >/dev/null 2>&1 || die "mvn (Apache Maven) not found on PATH; install it (e.g. apt-get install maven)."
command -v java >/dev/null 2>&1 || die "java not found on PATH; Maven needs a JDK (Elasticsearch 8.x needs Java 17+, 9.x needs Java 21+)."
command -v unzip >/dev/null 2>&1 || die "unzip not found on PATH; install it (e.g. apt-get install unzip)."

mkdir -p "$CACHE_ROOT"
TMP="$(mktemp -d "$CACHE_ROOT/.fetch-$ES_VERSION.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetch.sh: downloading $ARTIFACT via mvn ..." >&2
if ! mvn -q -B dependency:copy -Dartifact="$ARTIFACT" -DoutputDirectory="$TMP" >"$TMP/mvn.log" 2>&1; then
  tail -n 30 "$TMP/mvn.log" >&2 || true
  die "mvn could not fetch $ARTIFACT (not served by the configured repository?)."
fi
ZIP="$TMP/elasticsearch-$ES_VERSION.zip"
[[ -s "$ZIP" ]] || die "mvn reported success but $ZIP is missing."

echo "fetch.sh: extracting ..." >&2
mkdir -p "$TMP/x"
unzip -q "$ZIP" -d "$TMP/x" || die "unzip failed for $ZIP"
[[ -x "$TMP/x/elasticsearch-$ES_VERSION/bin/elasticsearch" ]] \
  || die "archive does not contain elasticsearch-$ES_VERSION/bin/elasticsearch"

rm -rf "$DEST"
mkdir -p "$DEST"
mv "$TMP/x/elasticsearch-$ES_VERSION" "$ES_HOME"
date -u +%FT%TZ >"$DEST/.complete"
echo "$ES_HOME"
