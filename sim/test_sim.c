/* Unit tests of the simulator's models, without processes: numbers with
 * units, the random streams, the event order, the link model's queue,
 * serialisation and faults, the learning switch, and the scenario reader's
 * errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_suite.h"
#include "evq.h"
#include "link.h"
#include "rng.h"
#include "scenario.h"
#include "switch.h"
#include "units.h"

START_TEST(units_parse)
{
	uint64_t v;
	uint32_t ppb;
	ck_assert_int_eq(parse_time("20ms", &v), 0);
	ck_assert_uint_eq(v, 20000000);
	ck_assert_int_eq(parse_time("1.5s", &v), 0);
	ck_assert_uint_eq(v, 1500000000);
	ck_assert_int_eq(parse_time("2min", &v), 0);
	ck_assert_uint_eq(v, 120000000000ull);
	ck_assert_int_eq(parse_time("0", &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(parse_time("0.5ns", &v), -1); /* not whole */
	ck_assert_int_eq(parse_time("5", &v), -1);     /* no unit */
	ck_assert_int_eq(parse_time("5 ms", &v), -1);
	ck_assert_int_eq(parse_time("5sec", &v), -1);
	ck_assert_int_eq(parse_time("-1s", &v), -1);
	ck_assert_int_eq(parse_time("99999999999999999999s", &v), -1);
	ck_assert_int_eq(parse_rate("10Mbit", &v), 0);
	ck_assert_uint_eq(v, 10000000);
	ck_assert_int_eq(parse_rate("1.5kbit", &v), 0);
	ck_assert_uint_eq(v, 1500);
	ck_assert_int_eq(parse_rate("0Mbit", &v), -1);
	ck_assert_int_eq(parse_rate("10MB", &v), -1);
	ck_assert_int_eq(parse_percent("1%", &ppb), 0);
	ck_assert_uint_eq(ppb, 10000000);
	ck_assert_int_eq(parse_percent("0.25%", &ppb), 0);
	ck_assert_uint_eq(ppb, 2500000);
	ck_assert_int_eq(parse_percent("100%", &ppb), 0);
	ck_assert_int_eq(parse_percent("100.1%", &ppb), -1);
	ck_assert_int_eq(parse_percent("0.1", &ppb), -1);
	ck_assert_int_eq(parse_count("42", 100, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(parse_count("101", 100, &v), -1);
	ck_assert_int_eq(parse_count("4.2", 100, &v), -1);
}
END_TEST

START_TEST(units_format)
{
	char b[32];
	ck_assert_str_eq(format_time(1500000000, b), "1.500000000");
	ck_assert_str_eq(format_duration(50000000, b), "50ms");
	ck_assert_str_eq(format_duration(1500000000, b), "1.5s");
	ck_assert_str_eq(format_duration(1001, b), "1.001us");
	ck_assert_str_eq(format_rate(10000000, b), "10Mbit");
	ck_assert_str_eq(format_rate(1500, b), "1.5kbit");
	ck_assert_str_eq(format_percent(10000000, b), "1%");
	ck_assert_str_eq(format_percent(2500000, b), "0.25%");
}
END_TEST

START_TEST(rng_streams)
{
	struct rng a, b, c;
	rng_seed(&a, 7, "x");
	rng_seed(&b, 7, "x");
	rng_seed(&c, 7, "y");
	int same_as_c = 0;
	for (int i = 0; i < 100; i++) {
		uint64_t va = rng_next(&a);
		ck_assert_uint_eq(va, rng_next(&b));
		same_as_c += va == rng_next(&c);
	}
	ck_assert_int_eq(same_as_c, 0);

	/* Uniform enough: 10 buckets of 100000 draws each near 10000. */
	unsigned bucket[10] = {0};
	for (int i = 0; i < 100000; i++)
		bucket[rng_below(&a, 10)]++;
	for (int i = 0; i < 10; i++)
		ck_assert(bucket[i] > 9500 && bucket[i] < 10500);
	unsigned hits = 0;
	for (int i = 0; i < 100000; i++)
		hits += rng_chance(&a, 100000000); /* 10% */
	ck_assert(hits > 9500 && hits < 10500);
	ck_assert(!rng_chance(&a, 0));
	ck_assert(rng_chance(&a, 1000000000));
}
END_TEST

START_TEST(evq_order)
{
	struct evq q = {0};
	static const uint64_t times[] = {50, 10, 30, 10, 20, 50, 10};
	for (unsigned i = 0; i < 7; i++)
		evq_push(&q, (struct event){.time = times[i], .index = i});
	struct event e;
	/* By time, then in the order pushed. */
	static const unsigned want[] = {1, 3, 6, 4, 2, 0, 5};
	for (unsigned i = 0; i < 7; i++) {
		ck_assert(evq_pop(&q, &e));
		ck_assert_uint_eq(e.index, want[i]);
	}
	ck_assert(!evq_pop(&q, &e));
	for (unsigned i = 0; i < 5000; i++)
		evq_push(&q, (struct event){.time = (i * 7919) % 1000});
	uint64_t last = 0;
	while (evq_pop(&q, &e)) {
		ck_assert_uint_ge(e.time, last);
		last = e.time;
	}
	evq_free(&q);
}
END_TEST

static struct link_params wire(void)
{
	return (struct link_params){.bandwidth = SC_NO_LIMIT, .queue = 1000,
	                            .mtu = 1500};
}

START_TEST(link_serialisation_and_queue)
{
	struct link_dir d;
	struct link_params p = wire();
	struct link_fate f;
	p.latency = 5000000;   /* 5 ms */
	p.bandwidth = 8000000; /* 1 byte per us */
	p.queue = 3;
	link_dir_init(&d, 1, "t", 0);
	/* Back to back: each 1000-byte frame takes 1 ms after the last. */
	for (unsigned i = 0; i < 3; i++) {
		ck_assert(link_transmit(&d, &p, 1000, 0, &f));
		ck_assert_uint_eq(f.arrive, (i + 1) * 1000000ull + 5000000);
	}
	ck_assert(!link_transmit(&d, &p, 1000, 0, &f)); /* queue full */
	ck_assert_int_eq(f.why, DROP_QUEUE);
	/* After the first is sent there is room for one more. */
	ck_assert(link_transmit(&d, &p, 1000, 1000000, &f));
	ck_assert_uint_eq(f.arrive, 4000000ull + 5000000);
	ck_assert(!link_transmit(&d, &p, 1515, 1000000, &f));
	ck_assert_int_eq(f.why, DROP_TOO_BIG);
	ck_assert_uint_eq(d.st.sent, 6);
	ck_assert_uint_eq(d.st.dropped[DROP_QUEUE], 1);
	link_dir_free(&d);
}
END_TEST

START_TEST(link_faults)
{
	struct link_dir d;
	struct link_params p = wire();
	struct link_fate f;
	p.latency = 10000000;
	p.jitter = 2000000;
	p.loss = 100000000;      /* 10% */
	p.duplicate = 50000000;  /* 5% */
	p.corrupt = 10000000;    /* 1% */
	p.reorder = 20000000;    /* 2% */
	p.reorder_delay = 3000000;
	link_dir_init(&d, 42, "faulty", 1);
	unsigned lost = 0, dup = 0, bad = 0, late = 0;
	for (unsigned i = 0; i < 100000; i++) {
		if (!link_transmit(&d, &p, 100, 0, &f)) {
			lost++;
			continue;
		}
		dup += f.copies == 2;
		bad += f.corrupt_bit >= 0;
		ck_assert(f.corrupt_bit < 800);
		late += f.reordered;
		uint64_t max = 12000000 + (f.reordered ? 3000000 : 0);
		ck_assert(f.arrive >= 8000000 && f.arrive <= max);
	}
	ck_assert(lost > 9500 && lost < 10500);
	ck_assert(dup > 4000 && dup < 5000);      /* 5% of the 90% left */
	ck_assert(bad > 750 && bad < 1050);
	ck_assert(late > 1550 && late < 2050);
	ck_assert_uint_eq(d.st.dropped[DROP_LOSS], lost);

	/* The same seed and stream decide the same way. */
	struct link_dir d2;
	link_dir_free(&d);
	link_dir_init(&d, 42, "faulty", 1);
	link_dir_init(&d2, 42, "faulty", 1);
	for (unsigned i = 0; i < 1000; i++) {
		struct link_fate f2;
		bool a = link_transmit(&d, &p, 100, i, &f);
		ck_assert_int_eq(a, link_transmit(&d2, &p, 100, i, &f2));
		ck_assert(!a || (f.arrive == f2.arrive && f.copies == f2.copies));
	}
	link_dir_free(&d);
	link_dir_free(&d2);
}
END_TEST

static uint8_t frame_buf[64];

static const uint8_t *frame(uint8_t dst, uint8_t src)
{
	static const uint8_t base[6] = {0x02, 0, 0, 0, 0, 0};
	memcpy(frame_buf, base, 6);
	memcpy(frame_buf + 6, base, 6);
	frame_buf[5] = dst;
	frame_buf[11] = src;
	if (dst == 0xff)
		memset(frame_buf, 0xff, 6);
	return frame_buf;
}

START_TEST(switch_learning)
{
	static struct sw s;
	sw_init(&s, 1000);
	/* Unknown destination: flood; the source is learnt on its port. */
	ck_assert_int_eq(sw_forward(&s, frame(2, 1), 0, 0), SW_FLOOD);
	ck_assert_int_eq(sw_forward(&s, frame(1, 2), 3, 10), 0);
	ck_assert_int_eq(sw_forward(&s, frame(2, 1), 0, 20), 3);
	ck_assert_int_eq(sw_forward(&s, frame(0xff, 1), 0, 30), SW_FLOOD);
	/* Both on one port: nothing to forward. */
	ck_assert_int_eq(sw_forward(&s, frame(1, 4), 0, 40), SW_FILTER);
	/* An address moves when it shows up elsewhere. */
	ck_assert_int_eq(sw_forward(&s, frame(3, 2), 5, 50), SW_FLOOD);
	ck_assert_int_eq(sw_forward(&s, frame(2, 1), 0, 60), 5);
	/* And ages out when silent. */
	ck_assert_int_eq(sw_forward(&s, frame(2, 1), 0, 50 + 1000), SW_FLOOD);
}
END_TEST

/* Load text as a scenario; the error message, or "" when it loads. */
static const char *load(const char *text)
{
	static struct sc_error err;
	char path[] = "/tmp/unilab-sim-test-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	struct scenario sc;
	int r = scenario_load(path, &sc, &err);
	scenario_free(&sc);
	unlink(path);
	if (r == 0)
		return "";
	/* Drop the temporary file's name: "PATH:LINE: msg" -> "LINE: msg". */
	const char *colon = strchr(err.msg, ':');
	return colon ? colon + 1 : err.msg;
}

START_TEST(scenario_errors)
{
	ck_assert_str_eq(load("node a hello\nnode b hello\nlink a b latency=5ms "
	                      "loss=1%\nat 1s link a-b down\n"), "");
	ck_assert_str_eq(load("node a hello\nnode a hello\n"),
	                 "2: the name 'a' is taken by the node on line 1");
	ck_assert_str_eq(load("# c\n\nnode a hello\nlink a b\n"),
	                 "4: unknown node or switch 'b' (declare it on a line "
	                 "before the links that use it)");
	ck_assert(strstr(load("node a hello\nnode b hello\nlink a b latency=5\n"),
	                 "3: bad time '5' for latency"));
	ck_assert(strstr(load("node a hello\nnode b hello\nlink a b lat=5ms\n"),
	                 "3: unknown link key 'lat'"));
	ck_assert(strstr(load("node a hello\nnode b hello\nlink a b loss=2\n"),
	                 "3: bad probability '2' for loss"));
	ck_assert(strstr(load("switch s\nswitch t\nswitch u\nlink s t\nlink t u\n"
	                      "link u s\nnode a hello\n"),
	                 "6: link u-s closes a loop of switches"));
	ck_assert(strstr(load("node a hello\nnode b hello\nlink a b\nlink b a "
	                      "name=a-b\n"),
	                 "4: a link named a-b is already on line 3"));
	/* Found by fuzzing: the second mem= leaked the first. */
	ck_assert(strstr(load("node a mem=4M mem=8M hello\n"),
	                 "1: node a: mem given twice"));
	ck_assert(strstr(load("node a deamon=yes hello\n"),
	                 "1: unknown node key 'deamon'"));
	ck_assert(strstr(load("node a hello\nat 1s kill b\n"),
	                 "2: unknown node 'b'"));
	ck_assert(strstr(load("node a hello\nat 1s explode a\n"),
	                 "2: unknown action 'explode'"));
	ck_assert(strstr(load("frobnicate\n"), "1: unknown statement"));
	ck_assert(strstr(load("until 5s\n"), " no nodes"));
	ck_assert(strstr(load("node a \"unterminated\n"), "1: a quoted word"));
	ck_assert(strstr(load("node a hello\nnode b hello\nlink a b\nlink a b "
	                      "name=x\nlink a b name=y\nlink a b name=z\nlink a b "
	                      "name=w\n"),
	                 "7: node a would have more than 4 interfaces"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim");
	TCase *units = tcase_create("units");
	tcase_add_test(units, units_parse);
	tcase_add_test(units, units_format);
	suite_add_tcase(s, units);
	TCase *models = tcase_create("models");
	tcase_add_test(models, rng_streams);
	tcase_add_test(models, evq_order);
	tcase_add_test(models, link_serialisation_and_queue);
	tcase_add_test(models, link_faults);
	tcase_add_test(models, switch_learning);
	suite_add_tcase(s, models);
	TCase *scenario = tcase_create("scenario");
	tcase_add_test(scenario, scenario_errors);
	suite_add_tcase(s, scenario);

	return ul_run_suite(s);
}
