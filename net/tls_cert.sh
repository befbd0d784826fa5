#!/usr/bin/env bash
# Make a self-signed certificate and its key with openssl, for trying and
# testing TLS (the build embeds one in httpd; ./unilab cert makes others):
#   tls_cert.sh [--rsa] OUTDIR [NAME...]
# writes OUTDIR/cert.pem and OUTDIR/key.pem for the DNS names NAME...
# (default: unilab.test and localhost) and 127.0.0.1. The key is EC P-256
# (fast handshakes) or, with --rsa, RSA 2048. A client trusts the
# certificate by taking cert.pem as its CA (curl --cacert cert.pem).
set -euo pipefail
key=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
if [ "${1:-}" = --rsa ]; then
	key=(-newkey rsa:2048)
	shift
fi
[ $# -ge 1 ] || { echo "usage: tls_cert.sh [--rsa] OUTDIR [NAME...]" >&2; exit 2; }
out=$1
shift
names=("$@")
((${#names[@]})) || names=(unilab.test localhost)
command -v openssl >/dev/null || { echo "tls_cert.sh: openssl is not installed" >&2; exit 1; }
san=$(printf 'DNS:%s,' "${names[@]}")IP:127.0.0.1
mkdir -p "$out"
openssl req -x509 "${key[@]}" -nodes -days 3650 -sha256 \
	-subj "/CN=${names[0]}" -addext "subjectAltName=$san" \
	-keyout "$out/key.pem" -out "$out/cert.pem" 2>/dev/null
echo "tls_cert.sh: $out/cert.pem and $out/key.pem for ${names[*]}"
