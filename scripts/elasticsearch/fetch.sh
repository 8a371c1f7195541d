#!/usr/bin/env bash
# Fetch a real Elasticsearch distribution (the "integ-test-zip" flavour) from
# Maven Central and cache it, unpacked, under .cache/elasticsearch/<version>/
# (.cache/ is git-ignored).
#
# Needs only `mvn` and `java` (Maven downloads and unpacks the zip itself and
# keeps the executable bits; no unzip, curl or jar needed).
#
# Idempotent: when the version is already cached it only prints. stdout gets
# exactly one line, the ES_HOME path; the version and progress go to stderr.
#
# Usage: scripts/elasticsearch/fetch.sh            # the pinned version below
#        ES_VERSION=8.19.4 scripts/elasticsearch/fetch.sh
#        ES_CACHE_DIR=/somewhere scripts/elasticsearch/fetch.sh
#
# Why 8.19.21: it is the newest version Maven Central serves for
# org.elasticsearch.distribution.integ-test-zip:elasticsearch. No 9.x is
# published under that coordinate (9.5.6 came back "Could not find artifact").
# The zip has no bundled JDK: 8.x runs on the Java 17+ found on the machine.
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
  echo "fetch.sh: Elasticsearch $ES_VERSION (cached) at $ES_HOME" >&2
  echo "$ES_HOME"
  exit 0
fi

command -v java >/dev/null 2>&1 || die "java not found on PATH; Maven needs a JDK, and Elasticsearch 8.x needs Java 17+ (e.g. apt-get install openjdk-17-jdk-headless)."
command -v mvn >/dev/null 2>&1 || die "mvn (Apache Maven) not found on PATH; install it (e.g. apt-get install maven)."

mkdir -p "$CACHE_ROOT"
TMP="$(mktemp -d "$CACHE_ROOT/.fetch-$ES_VERSION.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetch.sh: downloading and unpacking $ARTIFACT with mvn ..." >&2
# -C: fail on a checksum mismatch instead of warning. Run inside $TMP with the plugin's "already
# unpacked" markers there too: without a pom, mvn would leave a "${project.basedir}/target" folder in
# the current directory, and a stale marker would make a later unpack skip silently.
if ! (cd "$TMP" && mvn -B -C dependency:unpack -Dartifact="$ARTIFACT" -DoutputDirectory="$TMP/x" \
      -DmarkersDirectory="$TMP/markers" >"$TMP/mvn.log" 2>&1); then
  tail -n 30 "$TMP/mvn.log" >&2 || true
  die "mvn could not fetch $ARTIFACT (not served by Maven Central, or no network?)."
fi
[[ -x "$TMP/x/elasticsearch-$ES_VERSION/bin/elasticsearch" ]] \
  || die "the artifact did not contain an executable elasticsearch-$ES_VERSION/bin/elasticsearch"

# Another run may have finished meanwhile: keep its copy.
if [[ -f "$DEST/.complete" && -x "$ES_HOME/bin/elasticsearch" ]]; then
  echo "fetch.sh: Elasticsearch $ES_VERSION (cached) at $ES_HOME" >&2
  echo "$ES_HOME"
  exit 0
fi
rm -rf "$DEST"
mkdir -p "$DEST"
mv "$TMP/x/elasticsearch-$ES_VERSION" "$ES_HOME"
date -u +%FT%TZ >"$DEST/.complete"
echo "fetch.sh: Elasticsearch $ES_VERSION fetched to $ES_HOME" >&2
echo "$ES_HOME"
