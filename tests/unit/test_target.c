// SPDX-License-Identifier: GPL-2.0-or-later
/* Specification of the small helpers every backend relies on. */
#include "target.h"
#include "unit.h"

int main(void)
{
	CASE("osrelease 6.1.0-27-arm64 parses as 6.1.0")
	EXPECT_EQ_U64(pcs_parse_osrelease("6.1.0-27-arm64"), PCS_KERNEL_VERSION(6, 1, 0));
	CASE("osrelease 5.4.90 parses as 5.4.90")
	EXPECT_EQ_U64(pcs_parse_osrelease("5.4.90"), PCS_KERNEL_VERSION(5, 4, 90));
	CASE("sublevel above 255 saturates like the kernel's KERNEL_VERSION")
	EXPECT_EQ_U64(pcs_parse_osrelease("4.9.337"), PCS_KERNEL_VERSION(4, 9, 255));
	CASE("garbage osrelease gives 0")
	EXPECT_EQ_U64(pcs_parse_osrelease("garbage"), 0);
	CASE("error wrap prefixes context")
	{
		struct pcs_error e;
		pcs_error_set(&e, PCS_ERR_NODATA, "page 0x%x excluded", 0x1000);
		pcs_error_wrap(&e, "reading xa_node");
		EXPECT_STREQ(e.msg, "reading xa_node: page 0x1000 excluded");
		EXPECT(e.code == PCS_ERR_NODATA);
	}
	UNIT_EXIT();
}
