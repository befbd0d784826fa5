/* BearSSL's error codes in words, for logs and ul_tls_why(). The X.509
 * codes say why a certificate was refused; 256+n and 512+n are TLS alerts
 * (RFC 5246 7.2) received from and sent to the peer. */
#include <unilab/console.h>
#include "tls.h"

static const char *alert_name(int a)
{
	switch (a) {
	case 0: return "close_notify";
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 22: return "record_overflow";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 90: return "user_canceled";
	case 109: return "missing_extension";
	case 110: return "unsupported_extension";
	case 112: return "unrecognized_name";
	case 120: return "no_application_protocol";
	default: return "unknown alert";
	}
}

const char *tls_error_text(int err)
{
	static char text[96];

	switch (err) {
	case BR_ERR_X509_NOT_TRUSTED:
		return "unknown CA: the certificate chain leads to no "
		       "trusted CA";
	case BR_ERR_X509_BAD_SERVER_NAME:
		return "bad certificate: not valid for the server name";
	case BR_ERR_X509_EXPIRED:
		return "bad certificate: expired or not yet valid";
	case BR_ERR_X509_TIME_UNKNOWN:
		return "bad certificate: cannot check its dates (no clock)";
	case BR_ERR_UNSUPPORTED_VERSION:
	case BR_ERR_BAD_VERSION:
		return "the peer does not speak TLS 1.0 to 1.2";
	case BR_ERR_BAD_CIPHER_SUITE:
		return "no cipher suite in common with the peer";
	case BR_ERR_NO_RANDOM:
		return "no random bytes to seed the handshake";
	case BR_ERR_BAD_MAC:
		return "a record failed its integrity check";
	case BR_ERR_BAD_LENGTH:
	case BR_ERR_TOO_LARGE:
	case BR_ERR_UNKNOWN_TYPE:
	case BR_ERR_BAD_FRAGLEN:
		return "the peer sent something that is not TLS";
	case BR_ERR_UNEXPECTED:
	case BR_ERR_BAD_HANDSHAKE:
	case BR_ERR_OVERSIZED_ID:
	case BR_ERR_BAD_COMPRESSION:
	case BR_ERR_EXTRA_EXTENSION:
	case BR_ERR_BAD_SECRENEG:
	case BR_ERR_BAD_HELLO_DONE:
	case BR_ERR_RESUME_MISMATCH:
	case BR_ERR_BAD_CCS:
	case BR_ERR_BAD_ALERT:
		return "the peer sent a malformed or unexpected handshake "
		       "message";
	case BR_ERR_BAD_FINISHED:
	case BR_ERR_BAD_SIGNATURE:
		return "the handshake failed its integrity check (wrong key?)";
	case BR_ERR_BAD_SNI:
		return "bad server name (SNI)";
	}
	if (err >= BR_ERR_X509_OK && err < BR_ERR_X509_OK + 64)
		ul_snprintf(text, sizeof text, "bad certificate (X.509 "
		            "error %d)", err);
	else if (err >= BR_ERR_SEND_FATAL_ALERT)
		ul_snprintf(text, sizeof text, "we sent the alert %s (%d)",
		            alert_name(err - BR_ERR_SEND_FATAL_ALERT),
		            err - BR_ERR_SEND_FATAL_ALERT);
	else if (err >= BR_ERR_RECV_FATAL_ALERT)
		ul_snprintf(text, sizeof text, "the peer sent the alert %s "
		            "(%d)", alert_name(err - BR_ERR_RECV_FATAL_ALERT),
		            err - BR_ERR_RECV_FATAL_ALERT);
	else
		ul_snprintf(text, sizeof text, "TLS protocol error (BearSSL "
		            "error %d)", err);
	return text;
}
