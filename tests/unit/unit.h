/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal unit-test helpers. Each test_*.c is a list of specification-like
 * cases; every case prints "PASS: file: case" or "FAIL: file: case: why".
 */
#ifndef PCS_UNIT_H
#define PCS_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;
static const char *unit_case;
static int unit_case_failed;

#define UNIT_FILE (strrchr(__FILE__, '/') ? strrchr(__FILE__, '/') + 1 : __FILE__)

#define CASE(name)                                                                                 \
	for (int unit_once_ = (unit_case = (name), unit_case_failed = 0, 1); unit_once_;           \
	     unit_once_ = 0,                                                                       \
		 printf("%s: %s: %s\n", unit_case_failed ? "FAIL" : "PASS", UNIT_FILE, unit_case), \
		 unit_failed |= unit_case_failed)

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s: expected %s\n", __FILE__, __LINE__, unit_case, \
				#cond);                                                            \
			unit_case_failed = 1;                                                      \
		}                                                                                  \
	} while (0)

#define EXPECT_EQ_U64(a, b)                                                                        \
	do {                                                                                       \
		unsigned long long a_ = (a), b_ = (b);                                             \
		if (a_ != b_) {                                                                    \
			fprintf(stderr, "%s:%d: %s: %s == 0x%llx, expected 0x%llx\n", __FILE__,    \
				__LINE__, unit_case, #a, a_, b_);                                  \
			unit_case_failed = 1;                                                      \
		}                                                                                  \
	} while (0)

#define EXPECT_STREQ(a, b)                                                                         \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                           \
			fprintf(stderr, "%s:%d: %s: %s == \"%s\", expected \"%s\"\n", __FILE__,    \
				__LINE__, unit_case, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");  \
			unit_case_failed = 1;                                                      \
		}                                                                                  \
	} while (0)

#define UNIT_EXIT() return unit_failed ? 1 : 0

#endif
