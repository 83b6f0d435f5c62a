#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# blacklist-entry.sh bin|tbs FILE KEYDIR OUT
#
# An entry for the kernel's blacklist keyring, for attack_gate_test's
# revocations: OUT.desc gets its description ("bin:" and the SHA-256 of
# FILE, or "tbs:" and the SHA-256 of the to-be-signed part of the DER
# certificate FILE) and OUT a detached PKCS#7 signature of it by the test
# CA in KEYDIR, which a kernel with CONFIG_SYSTEM_BLACKLIST_AUTH_UPDATE
# requires before root may add the entry (certs/blacklist.c).
set -eu

kind=$1 file=$2 keydir=$3 out=$4

case $kind in
bin)
	hash=$(sha256sum <"$file" | cut -d' ' -f1)
	;;
tbs)
	# Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, ... }: both
	# with two length bytes (30 82 LL LL) for certificates of 256 bytes
	# to 64 KiB, which every RSA certificate is.
	head=$(od -An -tx1 -N8 "$file" | tr -d ' \n')
	case $head in
	3082????3082*) ;;
	*)
		echo "blacklist-entry.sh: $file: not a DER certificate of the expected shape" >&2
		exit 1
		;;
	esac
	len=$((0x$(echo "$head" | cut -c13-16) + 4))
	hash=$(tail -c +5 "$file" | head -c "$len" | sha256sum | cut -d' ' -f1)
	;;
*)
	echo "blacklist-entry.sh: kind must be bin or tbs, not '$kind'" >&2
	exit 1
	;;
esac

printf '%s:%s' "$kind" "$hash" >"$out.desc"
openssl cms -sign -binary -noattr -nosmimecap -md sha256 -outform DER \
	-signer "$keydir/kml-test-ca.pem" -inkey "$keydir/kml-test-ca.key" \
	-in "$out.desc" -out "$out.tmp"
mv "$out.tmp" "$out"
