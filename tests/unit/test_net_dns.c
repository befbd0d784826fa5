/* Unit tests of the DNS stub resolver (net/dns_msg.c, dns.c): the query
 * it builds, answers with compression and CNAME chains, hostile answers
 * (pointer loops, overruns, wrong ids or questions), and a lookup through
 * a UDP socket against a scripted server. */
#include "run_suite.h"
#include "test_net_harness.h"

#include <unilab/dns.h>
#include <unilab/errno.h>
#include <unilab/thread.h>
#include "dns_msg.h"

static void setup(void)
{
	harness_init(true);
}

/* An answer builder: header, the question for name, then records. */
struct answer {
	uint8_t b[DNS_MSG_MAX];
	size_t n;
};

static void put_name(struct answer *a, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);
		a->b[a->n++] = (uint8_t)l;
		memcpy(a->b + a->n, name, l);
		a->n += l;
		name += l + (dot ? 1 : 0);
	}
	a->b[a->n++] = 0;
}

static void start_answer(struct answer *a, uint16_t id, const char *q,
                         unsigned rcode, unsigned ancount)
{
	memset(a, 0, sizeof *a);
	wr16(a->b, id);
	wr16(a->b + 2, (uint16_t)(0x8180 | rcode));
	wr16(a->b + 4, 1);
	wr16(a->b + 6, (uint16_t)ancount);
	a->n = 12;
	put_name(a, q);
	wr16(a->b + a->n, 1);
	wr16(a->b + a->n + 2, 1);
	a->n += 4;
}

/* A record whose owner is a pointer to offset 12 (the question name). */
static void add_record(struct answer *a, const uint8_t *owner,
                       size_t ownerlen, uint16_t type, const void *rdata,
                       size_t rdlen)
{
	memcpy(a->b + a->n, owner, ownerlen);
	a->n += ownerlen;
	wr16(a->b + a->n, type);
	wr16(a->b + a->n + 2, 1);
	wr32(a->b + a->n + 4, 300);
	wr16(a->b + a->n + 8, (uint16_t)rdlen);
	a->n += 10;
	memcpy(a->b + a->n, rdata, rdlen);
	a->n += rdlen;
}

static const uint8_t to_question[] = {0xc0, 12};

START_TEST(query_is_built_from_labels)
{
	uint8_t q[DNS_MSG_MAX];
	int n = dns_build_query(0xbeef, "www.Example.org.", q, sizeof q);
	static const uint8_t want[] = {
		0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'o', 'r', 'g', 0, 0, 1, 0, 1};
	ck_assert_int_eq(n, sizeof want);
	ck_assert_mem_eq(q, want, sizeof want);
}
END_TEST

START_TEST(bad_names_are_refused)
{
	uint8_t q[DNS_MSG_MAX];
	char long_label[80];
	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	ck_assert_int_eq(dns_build_query(1, "", q, sizeof q), -UL_EINVAL);
	ck_assert_int_eq(dns_build_query(1, "a..b", q, sizeof q), -UL_EINVAL);
	ck_assert_int_eq(dns_build_query(1, ".a", q, sizeof q), -UL_EINVAL);
	ck_assert_int_eq(dns_build_query(1, long_label, q, sizeof q),
	                 -UL_EINVAL);
	char long_name[300];
	memset(long_name, 'a', sizeof long_name);
	for (int i = 1; i < 299; i += 2)
		long_name[i] = '.';
	long_name[299] = '\0';
	ck_assert_int_eq(dns_build_query(1, long_name, q, sizeof q),
	                 -UL_EINVAL);
	ck_assert_int_eq(dns_build_query(1, "example.org", q, 20),
	                 -UL_ENOSPC);
}
END_TEST

START_TEST(a_record_is_found)
{
	struct answer a;
	start_answer(&a, 5, "host.test", 0, 1);
	uint8_t ip[4] = {10, 1, 2, 3};
	add_record(&a, to_question, 2, 1, ip, 4);
	uint32_t addr;
	char cname[DNS_NAME_MAX + 1];
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 5, "HOST.test", &addr,
	                                    cname), 0);
	ck_assert_uint_eq(addr, UL_IP(10, 1, 2, 3));
}
END_TEST

START_TEST(cname_chain_is_followed_inside_the_answer)
{
	struct answer a;
	start_answer(&a, 6, "www.test", 0, 2);
	/* www.test CNAME web.test (web.test written out), then its A */
	uint8_t target[16];
	size_t tn = 0;
	target[tn++] = 3;
	memcpy(target + tn, "web", 3);
	tn += 3;
	target[tn++] = 0xc0;
	target[tn++] = 16; /* "test" inside the question */
	size_t target_at = a.n + 2 + 10;
	add_record(&a, to_question, 2, 5, target, tn);
	uint8_t owner[2] = {0xc0, (uint8_t)target_at};
	uint8_t ip[4] = {192, 0, 2, 1};
	add_record(&a, owner, 2, 1, ip, 4);
	uint32_t addr;
	char cname[DNS_NAME_MAX + 1];
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 6, "www.test", &addr,
	                                    cname), 0);
	ck_assert_uint_eq(addr, UL_IP(192, 0, 2, 1));
	/* Without the A record the alias is handed back to be asked. */
	wr16(a.b + 6, 1);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 6, "www.test", &addr,
	                                    cname), 1);
	ck_assert_str_eq(cname, "web.test");
}
END_TEST

START_TEST(error_codes_are_mapped)
{
	struct answer a;
	uint32_t addr;
	char cname[DNS_NAME_MAX + 1];
	start_answer(&a, 7, "gone.test", 3, 0);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 7, "gone.test", &addr,
	                                    cname), -UL_ENOENT);
	start_answer(&a, 7, "gone.test", 2, 0);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 7, "gone.test", &addr,
	                                    cname), -UL_EIO);
	start_answer(&a, 7, "gone.test", 0, 0);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 7, "gone.test", &addr,
	                                    cname), -UL_ENOENT);
	a.b[2] |= 0x02; /* truncated */
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 7, "gone.test", &addr,
	                                    cname), -UL_EIO);
}
END_TEST

START_TEST(answers_to_other_questions_are_ignored)
{
	struct answer a;
	uint32_t addr;
	char cname[DNS_NAME_MAX + 1];
	start_answer(&a, 8, "one.test", 0, 0);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 9, "one.test", &addr,
	                                    cname), -UL_EINVAL);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 8, "two.test", &addr,
	                                    cname), -UL_EINVAL);
	a.b[2] &= 0x7f; /* a query, not a response */
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 8, "one.test", &addr,
	                                    cname), -UL_EINVAL);
}
END_TEST

START_TEST(hostile_answers_are_refused)
{
	struct answer a;
	uint32_t addr;
	char cname[DNS_NAME_MAX + 1];
	/* An answer whose owner name points at itself. */
	start_answer(&a, 10, "loop.test", 0, 1);
	uint8_t self[2] = {0xc0, (uint8_t)a.n};
	add_record(&a, self, 2, 1, "\1\2\3\4", 4);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 10, "loop.test", &addr,
	                                    cname), -UL_EINVAL);
	/* A record length running past the message. */
	start_answer(&a, 11, "over.test", 0, 1);
	add_record(&a, to_question, 2, 1, "\1\2\3\4", 4);
	wr16(a.b + a.n - 6, 400);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 11, "over.test", &addr,
	                                    cname), -UL_EINVAL);
	/* Every cut of a valid answer is refused, never misread. */
	start_answer(&a, 12, "cut.test", 0, 1);
	add_record(&a, to_question, 2, 1, "\1\2\3\4", 4);
	for (size_t n = 0; n < a.n; n++)
		ck_assert_int_lt(dns_parse_response(a.b, n, 12, "cut.test",
		                                    &addr, cname), 0);
	/* A CNAME pointing back at the name asked: a loop, not a hang. */
	start_answer(&a, 13, "a.test", 0, 1);
	add_record(&a, to_question, 2, 5, to_question, 2);
	ck_assert_int_eq(dns_parse_response(a.b, a.n, 13, "a.test", &addr,
	                                    cname), -UL_ENOENT);
}
END_TEST

START_TEST(dotted_quads_need_no_server)
{
	uint32_t addr;
	ck_assert_int_eq(ul_dns_resolve("192.0.2.9", &addr, UL_S), 0);
	ck_assert_uint_eq(addr, UL_IP(192, 0, 2, 9));
	ck_assert_uint_eq(frames_sent(), 0);
	ck_assert_int_eq(ul_dns_resolve("example.test", &addr, UL_S),
	                 -UL_ENETUNREACH);
}
END_TEST

/* A lookup through the stack, answered by a scripted server thread. */
static void setup_live(void)
{
	harness_init(false);
	learn_peer();
	ul_dns_set_server(PEER_IP);
}

static void *server(void *arg)
{
	unsigned skip = (unsigned)(intptr_t)arg; /* queries to ignore */
	for (;;) {
		while (frames_sent() == 0)
			ul_sleep(UL_MS);
		const struct captured *c = next_frame();
		struct parsed p;
		parse_frame(c, &p);
		if (p.eth_type != 0x0800 || p.proto != 17)
			continue;
		ck_assert_uint_eq(rd16(p.l4 + 2), 53);
		if (skip) {
			skip--;
			continue;
		}
		const uint8_t *q = p.l4 + 8;
		struct answer a;
		start_answer(&a, rd16(q), "svc.test", 0, 1);
		add_record(&a, to_question, 2, 1, "\x0a\x00\x00\x63", 4);
		uint8_t f[FRAME_MAX];
		inject(f, make_udp(f, PEER_IP, 53, OUR_IP, rd16(p.l4), a.b,
		                   a.n));
		return NULL;
	}
}

START_TEST(lookup_goes_through_a_socket)
{
	struct ul_thread *t = ul_thread_create("server", server, NULL, 0);
	uint32_t addr;
	ck_assert_int_eq(ul_dns_resolve("svc.test", &addr, 2 * UL_S), 0);
	ck_assert_uint_eq(addr, UL_IP(10, 0, 0, 99));
	ck_assert_int_eq(ul_thread_join(t, NULL), 0);
}
END_TEST

START_TEST(lost_query_is_retried)
{
	struct ul_thread *t = ul_thread_create("server", server,
	                                       (void *)(intptr_t)1, 0);
	uint32_t addr;
	ck_assert_int_eq(ul_dns_resolve("svc.test", &addr, 900 * UL_MS), 0);
	ck_assert_uint_eq(addr, UL_IP(10, 0, 0, 99));
	ck_assert_int_eq(ul_thread_join(t, NULL), 0);
}
END_TEST

START_TEST(silent_server_times_out)
{
	uint32_t addr;
	uint64_t t0 = ul_now();
	ck_assert_int_eq(ul_dns_resolve("svc.test", &addr, 300 * UL_MS),
	                 -UL_ETIMEDOUT);
	ck_assert_uint_ge(ul_now() - t0, 300 * UL_MS);
	ck_assert_uint_lt(ul_now() - t0, 600 * UL_MS);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("net_dns");
	TCase *tc = tcase_create("messages");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, query_is_built_from_labels);
	tcase_add_test(tc, bad_names_are_refused);
	tcase_add_test(tc, a_record_is_found);
	tcase_add_test(tc, cname_chain_is_followed_inside_the_answer);
	tcase_add_test(tc, error_codes_are_mapped);
	tcase_add_test(tc, answers_to_other_questions_are_ignored);
	tcase_add_test(tc, hostile_answers_are_refused);
	tcase_add_test(tc, dotted_quads_need_no_server);
	suite_add_tcase(s, tc);
	TCase *live = tcase_create("resolver");
	tcase_add_checked_fixture(live, setup_live, NULL);
	tcase_add_test(live, lookup_goes_through_a_socket);
	tcase_add_test(live, lost_query_is_retried);
	tcase_add_test(live, silent_server_times_out);
	suite_add_tcase(s, live);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
