#!/usr/bin/env bash
# httpd serves files from a disk: over / (root=blk0) and on /data
# (mount=/data:blk0) beside its romfs, to curl byte for byte, with
# Content-Type, Last-Modified from the file, a folder's index.html or a
# generated listing, 404 and 403. User-mode networking: no root needed.
#
#   httpd_files.sh BUILD_ROOT posix|kvm
set -u
build=$1 backend=$2
PATH=$PATH:/sbin:/usr/sbin
for tool in mke2fs curl python3; do
	command -v $tool >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
[[ $backend != kvm || -w /dev/kvm ]] || { echo "SKIP: /dev/kvm is not usable"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/unilab-httpd-fs.XXXXXX")
pid=
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; [[ -f $work/log ]] && cat "$work/log"; exit 1; }

mkdir -p "$work/site/docs" "$work/site/with-index" "$work/site/odd"
head -c 300000 /dev/urandom > "$work/site/docs/blob.bin"
printf '<p>docs index</p>\n' > "$work/site/with-index/index.html"
printf 'body { color: red }\n' > "$work/site/style.css"
printf 'not for you\n' > "$work/site/secret.txt"
chmod 600 "$work/site/secret.txt"
printf '<h1>from the disk</h1>\n' > "$work/site/index.html"
printf 'x\n' > "$work/site/odd/a <b>&c.txt"
touch -d '2021-03-04 05:06:07 UTC' "$work/site/style.css"
mke2fs -q -F -t ext2 -d "$work/site" "$work/site.img" 8M || fail "mke2fs"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start() {
	local net="--net=user,hostfwd=tcp::$port-:80"
	if [[ $backend == posix ]]; then
		"$build/apps/httpd/httpd.posix" "--disk=$work/site.img" "$net" ip=dhcp "$@" > "$work/log" 2>&1 &
	else
		"$build/backends/kvm/unilab-kvm" --mem=32M "--disk=$work/site.img" "$net" \
			"$build/apps/httpd/httpd.kvm" ip=dhcp "$@" > "$work/log" 2>&1 &
	fi
	pid=$!
	for _ in $(seq 100); do
		grep -q 'httpd: serving on port 80' "$work/log" && return
		sleep 0.1
	done
	fail "httpd did not start"
}
stop() { kill $pid; wait $pid 2>/dev/null; pid=; }
get() { curl --silent --max-time 20 "$@"; }

start root=blk0
base=http://127.0.0.1:$port
get -o "$work/blob" "$base/docs/blob.bin" || fail "curl blob"
cmp -s "$work/blob" "$work/site/docs/blob.bin" || fail "/docs/blob.bin differs from the disk's file"
[[ $(get "$base/") == '<h1>from the disk</h1>' ]] || fail "/ is not the disk's index.html"
[[ $(get "$base/with-index/") == '<p>docs index</p>' ]] || fail "a folder's index.html"
headers=$(get -D - -o /dev/null "$base/style.css" | tr -d '\r')
grep -q '^Content-Type: text/css$' <<<"$headers" || fail "style.css type: $headers"
grep -q '^Last-Modified: Thu, 04 Mar 2021 05:06:07 GMT$' <<<"$headers" || fail "Last-Modified: $headers"
[[ $(get -o /dev/null -w '%{http_code}' "$base/nothing.html") == 404 ]] || fail "no 404"
[[ $(get -o /dev/null -w '%{http_code}' "$base/secret.txt") == 403 ]] || fail "no 403 for a 0600 file"
[[ $(get -o /dev/null -w '%{http_code} %{redirect_url}' "$base/docs") == "301 $base/docs/" ]] ||
	fail "no redirect from /docs to /docs/"
listing=$(get "$base/docs/")
grep -q '<a href="blob.bin">blob.bin</a>' <<<"$listing" || fail "listing of /docs/: $listing"
listing=$(get "$base/odd/")
grep -qF '<a href="a%20%3Cb%3E%26c.txt">a &lt;b&gt;&amp;c.txt</a>' <<<"$listing" || fail "escaping: $listing"
[[ $(get "$base/odd/a%20%3Cb%3E%26c.txt") == x ]] || fail "a percent-encoded name"
stop
echo "ok: a disk site over /: bytes, types, Last-Modified, index, listing, 404, 403"

start mount=/data:blk0
cmp -s <(get "$base/index.html") "$(dirname "$0")/../../../apps/httpd/www/index.html" ||
	fail "/index.html is not the romfs page"
get -o "$work/blob" "$base/data/docs/blob.bin"
cmp -s "$work/blob" "$work/site/docs/blob.bin" || fail "/data/docs/blob.bin differs"
stop
echo "ok: the romfs site on /, the disk on /data"
