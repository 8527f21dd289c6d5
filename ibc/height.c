/* Height ordering: revision number first, then revision height. */
#include "ibc/types.h"

int ibc_height_cmp(struct ibc_height a, struct ibc_height b)
{
	if (a.revision_number != b.revision_number)
		return a.revision_number < b.revision_number ? -1 : 1;
	if (a.revision_height != b.revision_height)
		return a.revision_height < b.revision_height ? -1 : 1;
	return 0;
}

bool ibc_height_is_zero(struct ibc_height h)
{
	return h.revision_number == 0 && h.revision_height == 0;
}
