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

	memcpy(buf, phases[step.phase], len);
	if (step.phase != PKL_PHASE_NONE) {
		buf[len++] = ' ';
		buf[len++] = (char)('0' + step.k);
		buf[len++] = '/';
		buf[len++] = (char)('0' + step.n);
	}
	buf[len] = '\0';
	return len;
}
