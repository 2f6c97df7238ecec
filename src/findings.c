/* What the trackers report of a frame: the step's words. */
#include "findings.h"

#include <assert.h>

size_t
pkl_conn_step_format(struct pkl_conn_step step, char buf[PKL_STEP_TEXT])
{
	static const char *const phases[] = {
		[PKL_PHASE_NONE] = "", [PKL_PHASE_HANDSHAKE] = "handshake",
		[PKL_PHASE_TEARDOWN] = "teardown",
	};
	assert(step.phase <= PKL_PHASE_TEARDOWN && step.k < 10 && step.n < 10);
	size_t len = strlen(phases[step.phase]);

	/* How many segments a close takes (three or four) shows only at
	 * its last: the steps before it are numbered alone, so that the
	 * count never changes on the way ("teardown 1", "teardown 2",
	 * "teardown 3/3"). */
	bool total = step.phase == PKL_PHASE_HANDSHAKE || step.k == step.n;

	memcpy(buf, phases[step.phase], len);
	if (step.phase != PKL_PHASE_NONE) {
		buf[len++] = ' ';
		buf[len++] = (char)('0' + step.k);
		if (total) {
			buf[len++] = '/';
			buf[len++] = (char)('0' + step.n);
		}
	}
	buf[len] = '\0';
	return len;
}
