/* TLS internals shared by net/tls*.c: the credentials parsed from PEM, and
 * the words for BearSSL's error codes. */
#ifndef UL_NET_TLS_H
#define UL_NET_TLS_H

#include <bearssl.h>
#include <unilab/tls.h>

/* A certificate chain and its private key (tls_pem.c). */
struct tls_creds {
	br_x509_certificate *chain;
	size_t chain_len;
	int key_type;    /* BR_KEYTYPE_RSA or BR_KEYTYPE_EC */
	int issuer_type; /* key type of the CA that signed chain[0] */
	br_rsa_private_key rsa;
	br_ec_private_key ec;
};
/* 0, or an error with c left empty. */
int tls_creds_load(struct tls_creds *c, const char *chain_path,
                   const char *key_path);

/* Trust anchors from CA certificates (tls_pem.c). */
struct tls_anchors {
	br_x509_trust_anchor *ta;
	size_t len;
};
/* 0, or an error with a left empty. */
int tls_anchors_load(struct tls_anchors *a, const char *path);

/* "why" for BearSSL error err (tls_why.c). */
const char *tls_error_text(int err);

#endif
