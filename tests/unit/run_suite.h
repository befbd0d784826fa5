/* Unit tests: the one main() every test program has, as a function. */
#ifndef UL_TEST_RUN_SUITE_H
#define UL_TEST_RUN_SUITE_H

#include <check.h>
#include <stdlib.h>

/* Run every test of s, each in its own process (Check's default), and
 * turn the outcome into the program's exit status for meson. */
static inline int ul_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
