#!/usr/bin/env bash
# Writes an OCI image archive (image-layout 1.0.0 in a tar) from a root filesystem
# directory, without a registry, a daemon or a builder: one gzipped layer, a config, a
# manifest and an index, named so that `ctr images import` keeps the name.
#
# Usage: oci.sh <rootfs dir> <image name:tag> <out.tar> <config JSON fragment>
#   the fragment is the image config's "config" object, e.g.
#   '{"User":"101:101","Entrypoint":["/usr/sbin/nginx"],"ExposedPorts":{"8080/tcp":{}}}'
# The archive is byte-for-byte reproducible (sorted entries, mtime 0, numeric owners,
# gzip without a timestamp), so the same inputs give the same image ID.
set -euo pipefail

ROOTFS="$1" NAME="$2" OUT="$3" CONFIG="$4"
WORK="$(mktemp -d "${OUT}.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/blobs/sha256"

blob() { # <file>: move into blobs/sha256/<digest>, print the digest
  local d; d="$(sha256sum "$1" | cut -d' ' -f1)"
  mv -f "$1" "$WORK/blobs/sha256/$d"
  echo "$d"
}
size() { stat -c %s "$WORK/blobs/sha256/$1"; }

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -C "$ROOTFS" -cf "$WORK/layer.tar" .
diff_id="$(sha256sum "$WORK/layer.tar" | cut -d' ' -f1)"
gzip -n -6 "$WORK/layer.tar"
layer="$(blob "$WORK/layer.tar.gz")"

printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/images (berth)"}]}' \
  "$CONFIG" "$diff_id" >"$WORK/config.json"
config="$(blob "$WORK/config.json")"

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}]}' \
  "$config" "$(size "$config")" "$layer" "$(size "$layer")" >"$WORK/manifest.json"
manifest="$(blob "$WORK/manifest.json")"

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
  "$manifest" "$(size "$manifest")" "$NAME" "${NAME##*:}" >"$WORK/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' >"$WORK/oci-layout"

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$WORK" -cf "$OUT.tmp" oci-layout index.json blobs
mv -f "$OUT.tmp" "$OUT"
echo "sha256:$config"
