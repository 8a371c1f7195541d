#!/usr/bin/env bash
# Fetch a real search engine distribution (the "integ-test-zip" flavour: Elasticsearch or OpenSearch) from
# Maven Central and cache it, unpacked, under .cache/<engine>/<version>/ (.cache/ is git-ignored).
#
# Needs only `mvn` and `java` (Maven downloads and unpacks the zip itself and keeps the executable bits;
# no unzip, curl or jar needed).
#
# Idempotent: when the version is already cached it only prints. stdout gets exactly one line, the
# engine's home path; the version and progress go to stderr.
#
# Usage: scripts/elasticsearch/fetch.sh elasticsearch 8.19.21
#        scripts/elasticsearch/fetch.sh opensearch 2.19.6
#        scripts/elasticsearch/fetch.sh elasticsearch 9.2.0 <sha256 of the zip>
#        ES_CACHE_DIR=/somewhere scripts/elasticsearch/fetch.sh ...    (default: .cache)
#
# Maven's own checksum check (-C) needs the .sha1 Maven Central keeps beside the zip. Where there is none
# (the Elasticsearch 9.x integ-test-zips), pass the zip's SHA-256 as the third argument: the zip is then
# copied out first, checked against it, and only then unpacked.
#
# The versions the tests run are pinned in src/sandbox/real-nodes/engines.ts (the matrix). The zips have
# no bundled JDK: the tests pick one per engine from /usr/lib/jvm.
set -euo pipefail

ENGINE="${1:-}"
VERSION="${2:-}"
SHA256="${3:-}"
case "$ENGINE" in
  elasticsearch) GROUP=org.elasticsearch.distribution.integ-test-zip ;;
  opensearch) GROUP=org.opensearch.distribution.integ-test-zip ;;
  *) echo "usage: $0 elasticsearch|opensearch <version>" >&2; exit 2 ;;
esac
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "fetch.sh: error: version must look like 8.19.21 (got '$VERSION')" >&2; exit 2; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CACHE_ROOT="${ES_CACHE_DIR:-$REPO_ROOT/.cache}/$ENGINE"
DEST="$CACHE_ROOT/$VERSION"
HOME_DIR="$DEST/$ENGINE-$VERSION"
ARTIFACT="$GROUP:$ENGINE:$VERSION:zip"

die() { echo "fetch.sh: error: $*" >&2; exit 1; }

cached() {
  if [[ -f "$DEST/.complete" && -x "$HOME_DIR/bin/$ENGINE" ]]; then
    echo "fetch.sh: $ENGINE $VERSION (cached) at $HOME_DIR" >&2
    echo "$HOME_DIR"
    exit 0
  fi
}
cached

command -v java >/dev/null 2>&1 || die "java not found on PATH; Maven needs a JDK (e.g. apt-get install openjdk-17-jdk-headless)."
command -v mvn >/dev/null 2>&1 || die "mvn (Apache Maven) not found on PATH; install it (e.g. apt-get install maven)."

mkdir -p "$CACHE_ROOT"
TMP="$(mktemp -d "$CACHE_ROOT/.fetch-$VERSION.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# Run mvn inside $TMP with the plugin's "already unpacked" markers there too: without a pom, mvn would
# leave a "${project.basedir}/target" folder in the current directory, and a stale marker would make a
# later unpack skip silently.
mvn_in_tmp() {
  if ! (cd "$TMP" && mvn -B "$@" -DmarkersDirectory="$TMP/markers" >"$TMP/mvn.log" 2>&1); then
    tail -n 30 "$TMP/mvn.log" >&2 || true
    die "mvn could not fetch $ARTIFACT (not served by Maven Central, or no network?)."
  fi
}
if [[ -z "$SHA256" ]]; then
  echo "fetch.sh: downloading and unpacking $ARTIFACT with mvn ..." >&2
  mvn_in_tmp -C dependency:unpack -Dartifact="$ARTIFACT" -DoutputDirectory="$TMP/x" # -C: a checksum mismatch fails
else
  echo "fetch.sh: downloading $ARTIFACT with mvn, checking it against the pinned SHA-256 ..." >&2
  mvn_in_tmp dependency:copy -Dartifact="$ARTIFACT" -DoutputDirectory="$TMP/zip"
  echo "$SHA256  $TMP/zip/$ENGINE-$VERSION.zip" | sha256sum -c --quiet - >&2 \
    || die "$ARTIFACT does not match the pinned SHA-256 $SHA256"
  mvn_in_tmp -o dependency:unpack -Dartifact="$ARTIFACT" -DoutputDirectory="$TMP/x"
fi
[[ -x "$TMP/x/$ENGINE-$VERSION/bin/$ENGINE" ]] || die "the artifact did not contain an executable $ENGINE-$VERSION/bin/$ENGINE"

cached # another run may have finished meanwhile: keep its copy
rm -rf "$DEST"
mkdir -p "$DEST"
mv "$TMP/x/$ENGINE-$VERSION" "$HOME_DIR"
date -u +%FT%TZ >"$DEST/.complete"
echo "fetch.sh: $ENGINE $VERSION fetched to $HOME_DIR" >&2
echo "$HOME_DIR"
