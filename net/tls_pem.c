/* PEM files to what BearSSL takes: a certificate chain, a private key,
 * trust anchors. Every piece is copied out of the decoders, whose buffers
 * are reused, into the heap; what a failed load had copied is freed. */
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include "tls.h"

/* A growing byte buffer; a failed allocation is remembered, not lost. */
struct vec {
	unsigned char *p;
	size_t len, cap;
	int oom;
};

static void vec_append(void *ctx, const void *data, size_t len)
{
	struct vec *v = ctx;
	if (v->oom)
		return;
	if (v->len + len > v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 1024;
		while (cap < v->len + len)
			cap *= 2;
		unsigned char *p = ul_realloc(v->p, cap);
		if (p == NULL) {
			v->oom = 1;
			return;
		}
		v->p = p;
		v->cap = cap;
	}
	ul_memcpy(v->p + v->len, data, len);
	v->len += len;
}

static void *copy(const void *p, size_t len)
{
	void *q = ul_malloc(len ? len : 1);
	if (q != NULL)
		ul_memcpy(q, p, len);
	return q;
}

/* Call fn(ctx, name, der, len) for each PEM object in file path. */
typedef int pem_fn(void *ctx, const char *name, unsigned char *der,
                   size_t len);
static int pem_each(const char *path, pem_fn *fn, void *ctx)
{
	void *file;
	size_t left;
	int err = ul_tls_read_file(path, &file, &left);
	if (err < 0) {
		ul_error("tls: %s: %s", path, ul_strerror(err));
		return err;
	}
	size_t file_len = left;
	const unsigned char *p = file;
	br_pem_decoder_context pc;
	struct vec v = {0};
	char name[64];
	int objects = 0, inside = 0;
	br_pem_decoder_init(&pc);
	/* A final newline ends the last line even if the file lacks it. */
	for (int last = 0; left > 0 || !last; ) {
		if (left == 0) {
			p = (const unsigned char *)"\n";
			left = 1;
			last = 1;
		}
		size_t n = br_pem_decoder_push(&pc, p, left);
		p += n;
		left -= n;
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			ul_strlcpy(name, br_pem_decoder_name(&pc), sizeof name);
			v.len = 0;
			inside = 1;
			br_pem_decoder_setdest(&pc, vec_append, &v);
			break;
		case BR_PEM_END_OBJ:
			inside = 0;
			err = v.oom ? -UL_ENOMEM : fn(ctx, name, v.p, v.len);
			objects++;
			if (err < 0)
				goto out;
			break;
		case BR_PEM_ERROR:
			err = -UL_EINVAL;
			ul_error("tls: %s: not valid PEM", path);
			goto out;
		}
	}
	err = 0;
	if (inside || objects == 0) {
		ul_error("tls: %s: %s", path, inside ? "a PEM object is cut off"
		                                     : "no PEM object in it");
		err = -UL_EINVAL;
	}
out:
	ul_free(v.p);
	/* It may be a private key: leave no copy in freed memory. */
	ul_memset(file, 0, file_len);
	ul_free(file);
	return err;
}

static int add_cert(void *ctx, const char *name, unsigned char *der,
                    size_t len)
{
	struct tls_creds *c = ctx;
	if (ul_strcmp(name, "CERTIFICATE") != 0)
		return 0;
	br_x509_certificate *chain = ul_realloc(
		c->chain, (c->chain_len + 1) * sizeof *chain);
	if (chain == NULL)
		return -UL_ENOMEM;
	c->chain = chain;
	chain[c->chain_len].data = copy(der, len);
	chain[c->chain_len].data_len = len;
	if (chain[c->chain_len].data == NULL)
		return -UL_ENOMEM;
	c->chain_len++;
	return 0;
}

static int add_key(void *ctx, const char *name, unsigned char *der,
                   size_t len)
{
	struct tls_creds *c = ctx;
	br_skey_decoder_context kc;
	if (ul_strcmp(name, "RSA PRIVATE KEY") != 0 &&
	    ul_strcmp(name, "EC PRIVATE KEY") != 0 &&
	    ul_strcmp(name, "PRIVATE KEY") != 0)
		return 0;
	if (c->key_type != 0)
		return 0; /* the first key counts */
	br_skey_decoder_init(&kc);
	br_skey_decoder_push(&kc, der, len);
	if (br_skey_decoder_last_error(&kc) != 0)
		return -UL_EINVAL;
	c->key_type = br_skey_decoder_key_type(&kc);
	if (c->key_type == BR_KEYTYPE_RSA) {
		const br_rsa_private_key *k = br_skey_decoder_get_rsa(&kc);
		c->rsa = *k;
		c->rsa.p = copy(k->p, k->plen);
		c->rsa.q = copy(k->q, k->qlen);
		c->rsa.dp = copy(k->dp, k->dplen);
		c->rsa.dq = copy(k->dq, k->dqlen);
		c->rsa.iq = copy(k->iq, k->iqlen);
		return c->rsa.p && c->rsa.q && c->rsa.dp && c->rsa.dq &&
		       c->rsa.iq ? 0 : -UL_ENOMEM;
	}
	const br_ec_private_key *k = br_skey_decoder_get_ec(&kc);
	c->ec = *k;
	c->ec.x = copy(k->x, k->xlen);
	return c->ec.x ? 0 : -UL_ENOMEM;
}

static void creds_free(struct tls_creds *c)
{
	for (size_t i = 0; i < c->chain_len; i++)
		ul_free(c->chain[i].data);
	ul_free(c->chain);
	ul_free(c->rsa.p);
	ul_free(c->rsa.q);
	ul_free(c->rsa.dp);
	ul_free(c->rsa.dq);
	ul_free(c->rsa.iq);
	ul_free(c->ec.x);
	ul_memset(c, 0, sizeof *c);
}

static int creds_load(struct tls_creds *c, const char *chain_path,
                      const char *key_path)
{
	int err;
	if ((err = pem_each(chain_path, add_cert, c)) < 0)
		return err;
	if (c->chain_len == 0) {
		ul_error("tls: %s: no certificate in it", chain_path);
		return -UL_EINVAL;
	}
	if ((err = pem_each(key_path, add_key, c)) < 0 || c->key_type == 0) {
		ul_error("tls: %s: no usable private key in it (RSA or EC, "
		         "in PEM)", key_path);
		return err < 0 ? err : -UL_EINVAL;
	}
	/* The server's suites depend on how its certificate was signed. */
	br_x509_decoder_context dc;
	br_x509_decoder_init(&dc, NULL, NULL);
	br_x509_decoder_push(&dc, c->chain[0].data, c->chain[0].data_len);
	c->issuer_type = br_x509_decoder_get_signer_key_type(&dc);
	if (br_x509_decoder_last_error(&dc) != 0 || c->issuer_type == 0) {
		ul_error("tls: %s: the first certificate cannot be decoded",
		         chain_path);
		return -UL_EINVAL;
	}
	return 0;
}

int tls_creds_load(struct tls_creds *c, const char *chain_path,
                   const char *key_path)
{
	ul_memset(c, 0, sizeof *c);
	int err = creds_load(c, chain_path, key_path);
	if (err < 0)
		creds_free(c);
	return err;
}

static int add_anchor(void *ctx, const char *name, unsigned char *der,
                      size_t len)
{
	struct tls_anchors *a = ctx;
	br_x509_decoder_context dc;
	struct vec dn = {0};
	if (ul_strcmp(name, "CERTIFICATE") != 0)
		return 0;
	br_x509_decoder_init(&dc, vec_append, &dn);
	br_x509_decoder_push(&dc, der, len);
	const br_x509_pkey *pk = br_x509_decoder_get_pkey(&dc);
	if (pk == NULL || dn.oom) {
		ul_free(dn.p);
		return dn.oom ? -UL_ENOMEM : -UL_EINVAL;
	}
	br_x509_trust_anchor *ta = ul_realloc(a->ta, (a->len + 1) * sizeof *ta);
	if (ta == NULL) {
		ul_free(dn.p);
		return -UL_ENOMEM;
	}
	a->ta = ta;
	ta += a->len++; /* counted now, so that anchors_free frees it */
	ta->dn.data = dn.p;
	ta->dn.len = dn.len;
	ta->flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
	ta->pkey = *pk;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		ta->pkey.key.rsa.n = copy(pk->key.rsa.n, pk->key.rsa.nlen);
		ta->pkey.key.rsa.e = copy(pk->key.rsa.e, pk->key.rsa.elen);
		return ta->pkey.key.rsa.n && ta->pkey.key.rsa.e ? 0 : -UL_ENOMEM;
	}
	ta->pkey.key.ec.q = copy(pk->key.ec.q, pk->key.ec.qlen);
	return ta->pkey.key.ec.q ? 0 : -UL_ENOMEM;
}

static void anchors_free(struct tls_anchors *a)
{
	for (size_t i = 0; i < a->len; i++) {
		br_x509_trust_anchor *ta = &a->ta[i];
		ul_free(ta->dn.data);
		if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
			ul_free(ta->pkey.key.rsa.n);
			ul_free(ta->pkey.key.rsa.e);
		} else {
			ul_free(ta->pkey.key.ec.q);
		}
	}
	ul_free(a->ta);
	ul_memset(a, 0, sizeof *a);
}

int tls_anchors_load(struct tls_anchors *a, const char *path)
{
	ul_memset(a, 0, sizeof *a);
	int err = pem_each(path, add_anchor, a);
	if (err == 0 && a->len == 0) {
		ul_error("tls: %s: no CA certificate in it", path);
		err = -UL_EINVAL;
	}
	if (err < 0)
		anchors_free(a);
	return err;
}
