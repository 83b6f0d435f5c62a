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
 * kml_signer_parse() notes, from the message kml.ko verifies, the signer's
 * id (the contents of its serial number and issuer name, as the kernel's
 * PKCS#7 and X.509 parsers make it with asymmetric_key_generate_id()) and
 * the SHA-256 of its certificate's to-be-signed part (what the blacklist's
 * "tbs:" entries name) and public key; kml_signer_anchor() notes which key
 * verified; and kml_signer_recheck() asks again:
 *   - the blacklist, for the certificate;
 *   - the ".kml" keyring, for a key found there: the id must still find
 *     that key (its serial), the one whose public key the certificate
 *     holds, since root may unlink, revoke or replace it at any time;
 *   - nothing more for the built-in keyring: nothing can add, remove or
 *     revoke a key in it while the kernel runs.
 * A message this walk does not take (a key named by its identifier,
 * several signers or certificates, an algorithm other than SHA-256 with
 * RSA or ECDSA, BER's indefinite lengths), and one trusted through the
 * secondary or platform keyring, whose keys root can remove unseen, gets
 * no anchor: its signature is verified every time.
 *
 * No state of its own: struct kml_signer lives in the caller's verdict.
 */
#include <crypto/sha2.h>
#include <crypto/public_key.h>
#include <keys/asymmetric-type.h>
#include <keys/system_keyring.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "gate.h"

#define KML_DER_INTEGER		0x02
#define KML_DER_BIT_STRING	0x03
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
 * indefinite length, one of more than four bytes, or one past @d's end.
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

/*
 * The public key of the TBSCertificate contents @tbs, as the kernel's
 * X.509 parser keeps it (x509_extract_key_data(): the BIT STRING's bits,
 * without its unused-bits byte), hashed into s->key.
 */
static int kml_signer_note_key(struct kml_der tbs, struct kml_signer *s)
{
	struct kml_der spki, bits;

	kml_der_next(&tbs, KML_DER_CONTEXT_0, NULL, NULL);	/* version */
	if (!kml_der_next(&tbs, KML_DER_INTEGER, NULL, NULL) ||
	    !kml_der_next(&tbs, KML_DER_SEQUENCE, NULL, NULL) ||	/* sig alg */
	    !kml_der_next(&tbs, KML_DER_SEQUENCE, NULL, NULL) ||	/* issuer */
	    !kml_der_next(&tbs, KML_DER_SEQUENCE, NULL, NULL) ||	/* validity */
	    !kml_der_next(&tbs, KML_DER_SEQUENCE, NULL, NULL) ||	/* subject */
	    !kml_der_next(&tbs, KML_DER_SEQUENCE, NULL, &spki) ||
	    !kml_der_next(&spki, KML_DER_SEQUENCE, NULL, NULL) ||
	    !kml_der_next(&spki, KML_DER_BIT_STRING, NULL, &bits) ||
	    !bits.len || bits.p[0])
		return -EOPNOTSUPP;
	sha256(bits.p + 1, bits.len - 1, s->key);
	return 0;
}

/*
 * The certificate in @certs (SignedData's [0]): the hashes of its TBS
 * part and of its public key into @s.
 */
static int kml_signer_note_cert(struct kml_der certs, struct kml_signer *s)
{
	struct kml_der cert, tbs, tbs_val, alg, oid;
	int ret;

	if (!kml_der_next(&certs, KML_DER_SEQUENCE, NULL, &cert) || certs.len)
		return -EOPNOTSUPP;
	if (!kml_der_next(&cert, KML_DER_SEQUENCE, &tbs, &tbs_val) ||
	    !kml_der_next(&cert, KML_DER_SEQUENCE, NULL, &alg) ||
	    !kml_der_next(&alg, KML_DER_OID, NULL, &oid) ||
	    !kml_der_sha256_sig(&oid))
		return -EOPNOTSUPP;
	ret = kml_signer_note_key(tbs_val, s);
	if (ret)
		return ret;
	sha256(tbs.p, tbs.len, s->tbs);
	s->has_cert = true;
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
 * Whether @key is the one that verified the message noted in @s: the
 * certificate the message carries holds the same public key. (A message
 * without one was verified with the key its id finds, this one.)
 */
static bool kml_signer_same_key(const struct kml_signer *s, struct key *key)
{
	const struct public_key *pk = asymmetric_key_public_key(key);
	u8 digest[SHA256_DIGEST_SIZE];

	if (!s->has_cert)
		return true;
	if (!pk || !pk->key)
		return false;
	sha256(pk->key, pk->keylen, digest);
	return !memcmp(digest, s->key, sizeof(digest));
}

/*
 * The message noted in @s verified with a key of @anchor: records the
 * anchor if kml_signer_recheck() can ask about it again. For ".kml"
 * (@keyring; NULL once the gate is sealed: no anchor), that is the key the
 * id finds there, if it is the one that verified: its serial, which no
 * other key has while it lives.
 */
void kml_signer_anchor(struct kml_signer *s, enum kml_signer_anchor anchor,
		       struct key *keyring)
{
	struct key *key;
	bool same;

	s->anchor = KML_SIGNER_NONE;
	if (!s->serial_len)
		return;
	if (anchor == KML_SIGNER_KML) {
		if (!keyring)
			return;
		key = kml_signer_find(s, keyring);
		if (IS_ERR(key))
			return;
		same = kml_signer_same_key(s, key);
		s->key_serial = key_serial(key);
		key_put(key);
		if (!same)
			return;
	}
	s->anchor = anchor;
}

/* Whether the blacklist holds the certificate noted in @s. */
bool kml_signer_revoked(const struct kml_signer *s)
{
	return s->has_cert &&
	       is_hash_blacklisted(s->tbs, sizeof(s->tbs),
				   BLACKLIST_HASH_X509_TBS) == -EKEYREJECTED;
}

/*
 * Whether the trust that approved a signature noted in @s still holds, for
 * a verdict kept since: 0 if so; -EKEYREVOKED if its certificate has been
 * blacklisted; -ENOKEY if it has no anchor or its key is no longer the one
 * its id finds in @keyring, the ".kml" keyring (gone, revoked, expired or
 * replaced), or @keyring is NULL (".kml" is trusted no more).
 */
int kml_signer_recheck(const struct kml_signer *s, struct key *keyring)
{
	struct key *key;
	bool same;

	if (kml_signer_revoked(s))
		return -EKEYREVOKED;
	switch (s->anchor) {
	case KML_SIGNER_BUILTIN:
		return 0;
	case KML_SIGNER_KML:
		if (!keyring)
			return -ENOKEY;
		key = kml_signer_find(s, keyring);
		if (IS_ERR(key))
			return -ENOKEY;
		same = key_serial(key) == s->key_serial;
		key_put(key);
		return same ? 0 : -ENOKEY;
	default:
		return -ENOKEY;
	}
}
