// SPDX-License-Identifier: GPL-2.0
/*
 * Who signed an appended signature, and whether that still holds: what
 * lets the gate keep a verdict for a held file (loader/gate.c) instead of
 * verifying its signature again at every exec and mapping.
 *
 * A PKCS#7 signature's verdict depends on the signed bytes, which a held
 * file cannot change, and on the trust that verify_pkcs7_signature() found
 * for them: the key that matched and, when the message carries the
 * signer's certificate, that certificate's standing on the blacklist. So
 * kml_signer_parse() notes, from the message kml.ko just verified, the
 * signer's identity (the contents of its serial number and issuer name:
 * the id the kernel's PKCS#7 and X.509 parsers give the key with
 * asymmetric_key_generate_id()) and the
 * SHA-256 of its certificate's to-be-signed part (what the blacklist's
 * "tbs:" entries name), and kml_signer_recheck() asks again:
 *   - the blacklist, for the certificate;
 *   - the ".kml" keyring, for a key found there: root may unlink, revoke
 *     or invalidate one at any time;
 *   - nothing more for the built-in keyring: nothing can remove a key
 *     from it while the kernel runs.
 * A message this walk does not understand (a key identified by subject
 * key identifier, several signers or certificates, an algorithm other
 * than SHA-256 with RSA or ECDSA, BER's indefinite lengths), and one
 * trusted through the secondary or platform keyring, whose keys root can
 * remove unseen, gets no anchor: its signature is verified every time.
 *
 * No state of its own: struct kml_signer lives in the caller's verdict.
 */
#include <crypto/sha2.h>
#include <keys/asymmetric-type.h>
#include <keys/system_keyring.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../kml/kml.h"

#define KML_DER_INTEGER		0x02
#define KML_DER_OID		0x06
#define KML_DER_SEQUENCE	0x30
#define KML_DER_SET		0x31
#define KML_DER_CONTEXT_0	0xa0	/* [0] constructed */
#define KML_DER_CONTEXT_1	0xa1	/* [1] constructed */

/* A run of DER elements still to read. */
struct kml_der {
	const u8 *p;
	size_t len;
};

/*
 * Reads the next element of @d, which must have tag @tag, into @tlv (its
 * whole encoding) and @val (its contents), either NULL. False at the end
 * of @d, on another tag, or on an encoding this walk does not take: an
 * indefinite, overlong or truncated length.
 */
static bool kml_der_next(struct kml_der *d, u8 tag, struct kml_der *tlv,
			 struct kml_der *val)
{
	const u8 *start = d->p;
	size_t head = 2, body, i, n;

	if (d->len < 2 || start[0] != tag)
		return false;
	body = start[1];
	if (body & 0x80) {
		n = body & 0x7f;
		if (!n || n > 4 || d->len < 2 + n)
			return false;
		for (body = 0, i = 0; i < n; i++)
			body = body << 8 | start[2 + i];
		head += n;
	}
	if (body > d->len - head)
		return false;
	/* @d first: @val may be @d, to step into the element */
	d->p += head + body;
	d->len -= head + body;
	if (tlv) {
		tlv->p = start;
		tlv->len = head + body;
	}
	if (val) {
		val->p = start + head;
		val->len = body;
	}
	return true;
}

/* Whether @oid (contents) names SHA-256 with RSA or with ECDSA. */
static bool kml_der_sha256_sig(const struct kml_der *oid)
{
	static const u8 rsa_sha256[] = {
		0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b
	};
	static const u8 ecdsa_sha256[] = {
		0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02
	};

	return (oid->len == sizeof(rsa_sha256) &&
		!memcmp(oid->p, rsa_sha256, oid->len)) ||
	       (oid->len == sizeof(ecdsa_sha256) &&
		!memcmp(oid->p, ecdsa_sha256, oid->len));
}

/* The certificate in @certs (SignedData's [0]): its TBS hash into @s. */
static int kml_signer_note_cert(struct kml_der certs, struct kml_signer *s)
{
	struct kml_der cert, tbs, alg, oid;

	if (!kml_der_next(&certs, KML_DER_SEQUENCE, NULL, &cert) || certs.len)
		return -EOPNOTSUPP;
	if (!kml_der_next(&cert, KML_DER_SEQUENCE, &tbs, NULL) ||
	    !kml_der_next(&cert, KML_DER_SEQUENCE, NULL, &alg) ||
	    !kml_der_next(&alg, KML_DER_OID, NULL, &oid) ||
	    !kml_der_sha256_sig(&oid))
		return -EOPNOTSUPP;
	sha256(tbs.p, tbs.len, s->tbs);
	s->has_tbs = true;
	return 0;
}

/* The one SignerInfo of @infos: its issuer and serial number into @s. */
static int kml_signer_note_id(struct kml_der infos, struct kml_signer *s)
{
	struct kml_der info, sid, issuer, serial;

	if (!kml_der_next(&infos, KML_DER_SEQUENCE, NULL, &info) || infos.len)
		return -EOPNOTSUPP;
	if (!kml_der_next(&info, KML_DER_INTEGER, NULL, NULL) ||
	    !kml_der_next(&info, KML_DER_SEQUENCE, NULL, &sid) ||
	    !kml_der_next(&sid, KML_DER_SEQUENCE, NULL, &issuer) ||
	    !kml_der_next(&sid, KML_DER_INTEGER, NULL, &serial) || sid.len)
		return -EOPNOTSUPP;
	if (serial.len + issuer.len > sizeof(s->id))
		return -E2BIG;
	memcpy(s->id, serial.p, serial.len);
	memcpy(s->id + serial.len, issuer.p, issuer.len);
	s->serial_len = serial.len;
	s->issuer_len = issuer.len;
	return 0;
}

/*
 * Notes in @s who signed the PKCS#7 message @msg (@len bytes, verified by
 * the caller). 0, or -errno if the message is one this walk does not take:
 * then @s has no anchor and the verdict is not kept.
 */
int kml_signer_parse(const void *msg, size_t len, struct kml_signer *s)
{
	struct kml_der d = { msg, len }, certs = {}, infos;
	int ret;

	memset(s, 0, sizeof(*s));
	/* ContentInfo { contentType, [0] SignedData } */
	if (!kml_der_next(&d, KML_DER_SEQUENCE, NULL, &d) ||
	    !kml_der_next(&d, KML_DER_OID, NULL, NULL) ||
	    !kml_der_next(&d, KML_DER_CONTEXT_0, NULL, &d) ||
	    !kml_der_next(&d, KML_DER_SEQUENCE, NULL, &d))
		return -EBADMSG;
	/* SignedData { version, digestAlgorithms, encapContentInfo, ... */
	if (!kml_der_next(&d, KML_DER_INTEGER, NULL, NULL) ||
	    !kml_der_next(&d, KML_DER_SET, NULL, NULL) ||
	    !kml_der_next(&d, KML_DER_SEQUENCE, NULL, NULL))
		return -EBADMSG;
	/* ... [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos } */
	kml_der_next(&d, KML_DER_CONTEXT_0, NULL, &certs);
	if (kml_der_next(&d, KML_DER_CONTEXT_1, NULL, NULL))
		return -EOPNOTSUPP;
	if (!kml_der_next(&d, KML_DER_SET, NULL, &infos) || d.len)
		return -EBADMSG;
	ret = kml_signer_note_id(infos, s);
	if (!ret && certs.len)
		ret = kml_signer_note_cert(certs, s);
	if (ret)
		memset(s, 0, sizeof(*s));
	return ret;
}

/* The key in @keyring that @s names, or ERR_PTR(-errno). */
static struct key *kml_signer_find(const struct kml_signer *s,
				   struct key *keyring)
{
	struct asymmetric_key_id *id;
	struct key *key;

	id = asymmetric_key_generate_id(s->id, s->serial_len,
					s->id + s->serial_len, s->issuer_len);
	if (IS_ERR(id))
		return ERR_CAST(id);
	key = find_asymmetric_key(keyring, id, NULL, NULL, false);
	kfree(id);
	return key;
}

/*
 * The message noted in @s verified with a key of @anchor: records the
 * anchor if kml_signer_recheck() can ask about it again (for ".kml",
 * @keyring, if the key that it holds is the one @s names).
 */
void kml_signer_anchor(struct kml_signer *s, enum kml_signer_anchor anchor,
		       struct key *keyring)
{
	struct key *key;

	s->anchor = KML_SIGNER_NONE;
	if (!s->serial_len)
		return;
	if (anchor == KML_SIGNER_KML) {
		key = kml_signer_find(s, keyring);
		if (IS_ERR(key))
			return;
		key_put(key);
	}
	s->anchor = anchor;
}

/* Whether the blacklist holds the certificate noted in @s. */
bool kml_signer_revoked(const struct kml_signer *s)
{
	return s->has_tbs &&
	       is_hash_blacklisted(s->tbs, sizeof(s->tbs),
				   BLACKLIST_HASH_X509_TBS) == -EKEYREJECTED;
}

/*
 * Whether the trust that approved a signature noted in @s still holds, for
 * a verdict kept since: 0 if so; -EKEYREVOKED if its certificate has been
 * blacklisted; -ENOKEY if it has no anchor or its key is no longer in
 * (or is revoked in) @keyring, the ".kml" keyring.
 */
int kml_signer_recheck(const struct kml_signer *s, struct key *keyring)
{
	struct key *key;

	if (kml_signer_revoked(s))
		return -EKEYREVOKED;
	switch (s->anchor) {
	case KML_SIGNER_BUILTIN:
		return 0;
	case KML_SIGNER_KML:
		key = kml_signer_find(s, keyring);
		if (IS_ERR(key))
			return -ENOKEY;
		key_put(key);
		return 0;
	default:
		return -ENOKEY;
	}
}
