#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make install / uninstall honour PREFIX and DESTDIR. TAP.
set -u
cd "$(dirname "$0")/.." || exit 2
MAKE=${MAKE:-make}
dest=$(mktemp -d) || exit 2
trap 'rm -rf "$dest"' EXIT INT TERM
. ./tests/tap.sh

$MAKE -s --no-print-directory install DESTDIR="$dest" PREFIX=/opt/om >/dev/null
result $? "make install DESTDIR=... PREFIX=/opt/om"
[ -x "$dest/opt/om/sbin/offloadmod-ctl" ]
result $? "binary in PREFIX/sbin, executable"
[ -f "$dest/opt/om/share/man/man8/offloadmod-ctl.8" ]
result $? "man page in PREFIX/share/man/man8"
[ -f "$dest/opt/om/share/bash-completion/completions/offloadmod-ctl" ]
result $? "completion in PREFIX/share/bash-completion/completions"
"$dest/opt/om/sbin/offloadmod-ctl" --version >/dev/null
result $? "installed binary runs"
$MAKE -s --no-print-directory uninstall DESTDIR="$dest" PREFIX=/opt/om >/dev/null
[ -z "$(find "$dest" -type f)" ]
result $? "make uninstall removes what install put there"

echo "1..$n"
[ "$failed" -eq 0 ]
