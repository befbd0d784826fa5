#!/usr/bin/env bash
# Tests of tools/apt-sources against sample apt configurations in a temp
# dir: the mirror comes from the machine's own entries (deb822 or one-line,
# a local mirror too), disabled entries and other releases' are ignored,
# and ensure adds an entry once, from that mirror, never a fixed one.
set -euo pipefail
TOOL=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/apt-sources
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

expect() { # NAME EXPECTED ACTUAL
	[[ $2 == "$3" ]] || fail "$1: expected '$2', got '$3'"
}

# A fresh root $DIR/$1 of release bookworm; files come after.
root() {
	R=$DIR/$1
	mkdir -p "$R/etc/apt/sources.list.d"
	echo 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian' >"$R/etc/os-release"
}

# 1. deb822 (Debian 12's default), a local mirror, security on its own.
root deb822
cat >"$R/etc/apt/sources.list.d/debian.sources" <<'SRC'
Types: deb
# a comment inside the paragraph
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.example.org/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://old.example.org/debian
Suites: bookworm
Components: main
Enabled: no
SRC
expect "deb822 mirror" "http://mirror.example.org/debian /usr/share/keyrings/debian-archive-keyring.gpg" \
	"$("$TOOL" --root "$R" mirror)"
"$TOOL" --root "$R" has deb bookworm-updates || fail "deb822: bookworm-updates not seen"
! "$TOOL" --root "$R" has deb-src bookworm || fail "deb822: a disabled entry counted"
! "$TOOL" --root "$R" has deb bookworm-backports || fail "deb822: backports seen where there is none"
out=$("$TOOL" --root "$R" ensure deb bookworm-backports)
file=$R/etc/apt/sources.list.d/unilab-bookworm-backports.sources
expect "ensure says what it added" "added $file" "$out"
expect "the backports entry" "# Added by Unilab's set-up, from the mirror this machine's own sources use.
Types: deb
URIs: http://mirror.example.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" "$(cat "$file")"
"$TOOL" --root "$R" has deb bookworm-backports || fail "deb822: the added entry is not seen"
expect "ensure twice adds nothing" "" "$("$TOOL" --root "$R" ensure deb bookworm-backports)"
"$TOOL" --root "$R" ensure deb-src bookworm >/dev/null
grep -q '^Types: deb-src$' "$R/etc/apt/sources.list.d/unilab-bookworm-src.sources" ||
	fail "deb-src: no unilab-bookworm-src.sources"
"$TOOL" --root "$R" has deb-src bookworm || fail "deb-src: the added entry is not seen"

# 2. The one-line format, options and comments, in sources.list.
root oneline
cat >"$R/etc/apt/sources.list" <<'SRC'
# deb http://commented.example.org/debian bookworm main
deb-src http://src.example.org/debian bookworm main
deb [arch=amd64 signed-by=/etc/keys/local.gpg] https://local.example.org/debian/ bookworm main contrib # trailing
deb http://other.example.org/debian bullseye main
SRC
expect "one-line mirror" "https://local.example.org/debian/ /etc/keys/local.gpg" "$("$TOOL" --root "$R" mirror)"
"$TOOL" --root "$R" has deb-src bookworm || fail "one-line: deb-src not seen"
! "$TOOL" --root "$R" has deb bullseye-backports || fail "one-line: a suite that is not there"

# 3. No entry for the release: a clear error, nothing written.
root none
echo 'deb http://other.example.org/debian bullseye main' >"$R/etc/apt/sources.list"
if err=$("$TOOL" --root "$R" ensure deb bookworm-backports 2>&1); then
	fail "no mirror: ensure succeeded"
fi
[[ $err == *"cannot tell which Debian mirror"* ]] || fail "no mirror: the error is '$err'"
[[ -z $(ls "$R/etc/apt/sources.list.d") ]] || fail "no mirror: a file was written"

# 4. Bad arguments.
"$TOOL" --root "$R" has deb >/dev/null 2>&1 && fail "has without a suite succeeded"
"$TOOL" --root "$R" ensure rpm x >/dev/null 2>&1 && fail "type rpm accepted"

((failures == 0)) || exit 1
echo "ok: apt-sources"
