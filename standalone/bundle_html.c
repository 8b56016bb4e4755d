// SPDX-License-Identifier: GPL-2.0-or-later
#include "bundle.h"

enum pcs_errcode sa_bundle_html(const char *dir, struct json_object *manifest,
				struct pcs_error *err)
{
	(void)dir;
	(void)manifest;
	(void)err;
	return PCS_OK;
}

enum pcs_errcode sa_bundle_tar(const char *dir, const char *archive, struct pcs_error *err)
{
	(void)dir;
	(void)archive;
	return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "--tar: not yet");
}
