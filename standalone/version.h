/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `pcsleuth --version`: the version and the libraries this binary runs with. */
#ifndef SA_VERSION_H
#define SA_VERSION_H

#include <stdio.h>

#ifndef PCSLEUTH_VERSION
#define PCSLEUTH_VERSION "unknown"
#endif

/* "pcsleuth 0.2.0" then one "  library version" line per library. */
void sa_print_version(FILE *out);

#endif
