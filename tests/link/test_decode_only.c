/* The decode stage on its own: this program links with the dissectors,
 * the decode driver and the sentence tables only (see the Makefile), so
 * the build fails if decoding comes to need the tracker or a view. */
#include "../unit/frames.h"

static void
decodes_a_syn_and_words_its_events(void **state)
{
	(void)state;
	struct pkl_packet pkt;
	struct pkl_frame f = { .linktype = DLT_EN10MB, .caplen = 20, .len = sizeof tf_tcp_syn,
			       .bytes = tf_tcp_syn, .number = 1 };
	char text[256];

	pkl_decode(&pkt, &f);   /* cut inside IPv4: an event with a sentence */
	assert_true(pkt.n_events > 0);
	assert_true(pkl_event_format(pkt.events[0].code, pkt.events[0].arg, text, sizeof text) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_a_syn_and_words_its_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
