// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcverify: every cached page of every file under a guest prefix against a
 * reference (directory, ext2/3/4 image, tar archive). core/verify_tree.c does the
 * work and prints; this file parses crash's arguments.
 */
#include "defs.h" /* crash */

#include <string.h>

#include "ext.h"
#include "fs.h"
#include "refsrc.h"
#include "verify_tree.h"

void cmd_pcverify(void)
{
	const struct pcs_target *t;
	const struct pcs_kernel *k;
	const struct pcs_fs *fs;
	struct pcs_error err = {0};
	struct pcs_verify_tree_opts o = {.at = "/", .label = "pcverify"};
	struct pcs_verify_totals tot;
	struct pcs_refsrc *src = NULL;
	struct json_object *doc = NULL;
	const char *ref = NULL;
	int c;

	while ((c = getopt(argcnt, args, "r:a:jv")) != EOF) {
		switch (c) {
		case 'r': ref = optarg; break;
		case 'a': o.at = optarg; break;
		case 'j': o.json = true; break;
		case 'v': o.verbose = true; break;
		default: argerrs++; break;
		}
	}
	if (argerrs || args[optind] || !ref || o.at[0] != '/')
		cmd_usage(pc->curcmd, SYNOPSIS);
	o.out = fp;
	if (pcx_context(&t, &k, &err) || pcx_fs(&fs, &err))
		goto fail;
	if (pcs_refsrc_open(ref, &src, &err)) {
		pcx_error("reference", &err);
		return;
	}
	if (pcs_verify_tree(k, fs, src, ref, &o, &tot, &doc, &err)) {
		pcs_refsrc_close(src);
		goto fail;
	}
	pcs_refsrc_close(src);
	if (!tot.compared_files && tot.files)
		fprintf(fp,
			"pcverify: none of the %llu cached files under %s is in the reference %s "
			"(wrong -a?)\n",
			(unsigned long long)tot.files, o.at, ref);
	if (doc) {
		fprintf(fp, "%s\n",
			json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
								JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	} else if (tot.no_cache) {
		fprintf(fp, "the page cache is not in this dump: nothing could be compared\n");
	}
	return;
fail:
	pcx_error(NULL, &err);
}
