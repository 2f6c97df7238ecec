/* The annotation stage on packets and findings built here: what the
 * trackers found is told after what the frame's own layers say, in the
 * order the views show it (the connection's states, its steps as they
 * happen, the sequence analysis, then what the segment shows of the
 * writes), each note with its numbers; and once the list is full, the
 * layers' notes give way to the findings'. */
#include "frames.h"

#include "../../dissectors/eth.h"
#include "../../dissectors/icmp.h"
#include "../../src/annotate.h"
#include "../../src/exchange.h"
#include "../../src/notes.h"
#include "../../src/tcp_state.h"

static const struct pkl_annotate_opts plain = { .explain_addresses = false };

struct told {
	enum pkl_note_code code;
	uint8_t layer;
	uint64_t arg[PKL_NOTE_ARGS];
};

static void
assert_told(const struct pkl_notes *ns, const struct told *want, unsigned n)
{
	for (unsigned i = 0; i < ns->n && i < n; i++) {
		const struct pkl_note *got = &ns->note[i];
		if (got->code != want[i].code)
			fail_msg("note %u is %s, wanted %s", i, pkl_note_name(got->code),
				 pkl_note_name(want[i].code));
		if (got->layer != want[i].layer ||
		    memcmp(got->arg, want[i].arg, sizeof got->arg) != 0)
			fail_msg("note %u (%s): layer %u, args %llu %llu %llu %llu", i,
				 pkl_note_name(got->code), got->layer,
				 (unsigned long long)got->arg[0], (unsigned long long)got->arg[1],
				 (unsigned long long)got->arg[2], (unsigned long long)got->arg[3]);
	}
	assert_int_equal(ns->n, n);
}

/* Layer i of pkt: a header of this protocol, read whole. */
static struct pkl_layer *
layer(struct pkl_packet *pkt, unsigned i, enum pkl_proto proto)
{
	struct pkl_layer *l = &pkt->layers[i];

	l->proto = proto;
	l->flags = PKL_LAYER_HEADER;
	if (pkt->n_layers <= i)
		pkt->n_layers = (uint8_t)(i + 1);
	return l;
}

/* Every finding a TCP segment can carry, at once (a real segment has a
 * few of them): their notes follow the segment's own FIN note. */
static void
test_tcp_findings_in_order(void **state)
{
	(void)state;
	struct pkl_packet pkt = { 0 };
	struct pkl_tcp *t = &layer(&pkt, 0, PKL_PROTO_TCP)->hdr.tcp;
	*t = (struct pkl_tcp){ .sport = 40000, .dport = 80, .flags = PKL_TCP_FIN | PKL_TCP_ACK,
			       .window = 1000 };

	struct pkl_notes ns;
	pkl_notes_reset(&ns);
	ns.conn = (struct pkl_conn_snapshot){
		.valid = true, .id = 7, .sender = 0,
		.before = { PKL_TCPS_ESTABLISHED, PKL_TCPS_ESTABLISHED },
		.after = { PKL_TCPS_FIN_WAIT_1, PKL_TCPS_ESTABLISHED },
		.step = { PKL_PHASE_TEARDOWN, 1, 4 },
		.analysis = {
			.flags = PKL_TA_RETRANSMISSION | PKL_TA_DUPLICATE_ACK |
				 PKL_TA_WINDOW_UPDATE,
			.rto_frame = 3, .rto_us = 200000, .dup_ack_num = 2, .dup_ack_frame = 5,
			.window_size = 4096, .acked_frame = 4, .ack_rtt_us = 1500,
			.own = PKL_TV_RETRANSMISSION,
			.resent_after_frame = 3, .resent_after_us = 200000,
		},
	};
	struct pkl_findings f;
	pkl_findings_reset(&f);
	f.layer = 0;
	f.reused = true;
	f.reused_id = 3;
	f.roles = PKL_ROLES_FIRST_SENDER;
	f.server_port = 80;
	f.client_port = 40000;
	f.reset = PKL_RESET_ABORT;
	f.port_scan = true;
	f.scan_probes = 16;
	f.scan_seconds = 2;
	f.opening = PKL_OPENING_HANDSHAKE_3;
	f.handshake_us[0] = 3000;
	f.handshake_us[1] = 1000;
	f.handshake_us[2] = 2000;
	f.syn_flood = true;
	f.flood_half_open = 64;
	f.flood_port = 80;
	f.closing = PKL_CLOSING_ACTIVE;
	f.boundary = PKL_BOUNDARY_FULL;
	f.segment_bytes = 1460;
	f.segment_mss = 1460;
	f.ttl_changed = true;
	f.ttl_was = 64;
	f.ttl_now = 61;
	pkl_annotate(&pkt, &f, &plain, &ns);

	enum { EST = PKL_TCPS_ESTABLISHED, FW1 = PKL_TCPS_FIN_WAIT_1 };
	const struct told want[] = {
		{ PKL_NOTE_TCP_FIN, 0, { 0 } },
		{ PKL_NOTE_CONN_REUSED, 0, { 3 } },
		{ PKL_NOTE_CONN_MIDSTREAM_FIRST_SENDER, 0, { 80, 40000 } },
		{ PKL_NOTE_CONN_STATES, 0, { 7, FW1, EST } },
		{ PKL_NOTE_CONN_RST_ABORT, 0, { 0, EST } },
		{ PKL_NOTE_CONN_PORT_SCAN, 0, { 16, 2 } },
		{ PKL_NOTE_CONN_HANDSHAKE_3, 0, { 3000, 1000, 2000 } },
		{ PKL_NOTE_CONN_SYN_FLOOD, 0, { 64, 80 } },
		{ PKL_NOTE_CONN_TEARDOWN_ACTIVE, 0, { 0, EST, FW1 } },
		{ PKL_NOTE_TV_RETRANSMISSION, 0, { 0, 3, 200000 } },
		{ PKL_NOTE_TA_DUPLICATE_ACK, 0, { 0, 2, 5 } },
		{ PKL_NOTE_TA_WINDOW_UPDATE, 0, { 0, 4096 } },
		{ PKL_NOTE_TA_ACK_RTT, 0, { 0, 4, 1500 } },
		{ PKL_NOTE_CONN_FULL_SEGMENT, 0, { 0, 0, 1460, 1460 } },
		{ PKL_NOTE_CONN_TTL_CHANGE, 0, { 0, 64, 61 } },
	};
	assert_told(&ns, want, sizeof want / sizeof want[0]);
}

/* Each step of the opening and the closing, told with the snapshot's
 * states and step. */
static void
test_tcp_steps(void **state)
{
	(void)state;
	enum { EST = PKL_TCPS_ESTABLISHED, CW = PKL_TCPS_CLOSE_WAIT, LA = PKL_TCPS_LAST_ACK,
	       FW2 = PKL_TCPS_FIN_WAIT_2, TW = PKL_TCPS_TIME_WAIT };
	static const struct {
		uint8_t opening, closing;
		int before, after;             /* the sender's state */
		struct told note;
	} cases[] = {
		{ PKL_OPENING_SYN_RETRY, 0, 0, 0, { PKL_NOTE_CONN_SYN_RETRY, 0, { 2 } } },
		{ PKL_OPENING_SIMULTANEOUS, 0, 0, 0,
		  { PKL_NOTE_CONN_SIMULTANEOUS_OPEN, 0, { 0 } } },
		{ PKL_OPENING_HANDSHAKE_1, 0, 0, 0, { PKL_NOTE_CONN_HANDSHAKE_1, 0, { 0 } } },
		{ PKL_OPENING_HANDSHAKE_2, 0, 0, 0, { PKL_NOTE_CONN_HANDSHAKE_2, 0, { 0 } } },
		{ 0, PKL_CLOSING_ACK, EST, CW, { PKL_NOTE_CONN_TEARDOWN_ACK, 0, { 1, CW } } },
		{ 0, PKL_CLOSING_FIN_ACK, EST, LA,
		  { PKL_NOTE_CONN_TEARDOWN_FIN_ACK, 0, { 1, LA } } },
		{ 0, PKL_CLOSING_PASSIVE, CW, LA,
		  { PKL_NOTE_CONN_TEARDOWN_PASSIVE, 0, { 1, CW, LA } } },
		{ 0, PKL_CLOSING_LAST, FW2, TW, { PKL_NOTE_CONN_TEARDOWN_LAST, 0, { 1, 60, 4 } } },
		{ 0, PKL_CLOSING_SIMULTANEOUS, EST, PKL_TCPS_FIN_WAIT_1,
		  { PKL_NOTE_CONN_SIMULTANEOUS_CLOSE, 0, { 1 } } },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pkl_packet pkt = { 0 };
		layer(&pkt, 0, PKL_PROTO_TCP)->hdr.tcp = (struct pkl_tcp){ .window = 1000 };
		struct pkl_notes ns;
		pkl_notes_reset(&ns);
		ns.conn = (struct pkl_conn_snapshot){ .valid = true, .id = 1, .sender = 1,
						      .before = { 0, cases[i].before },
						      .after = { 0, cases[i].after },
						      .step = { PKL_PHASE_TEARDOWN, 4, 4 } };
		struct pkl_findings f;
		pkl_findings_reset(&f);
		f.opening = cases[i].opening;
		f.syn_attempt = 2;
		f.closing = cases[i].closing;
		f.time_wait_s = 60;
		pkl_annotate(&pkt, &f, &plain, &ns);
		const struct told want[] = {
			{ PKL_NOTE_CONN_STATES, 0, { 1, 0, (uint64_t)cases[i].after } },
			cases[i].note,
		};
		assert_told(&ns, want, 2);
	}
}

/* An ARP reply behind an Ethernet broadcast: the frame's notes, then the
 * conflict over the sender's address, then what the reply is. */
static void
test_arp_findings_in_order(void **state)
{
	(void)state;
	static const uint8_t other_mac[6] = { 0x52, 0x54, 0x00, 0xee, 0xee, 0xee };
	struct pkl_packet pkt = { 0 };
	memset(layer(&pkt, 0, PKL_PROTO_ETH)->hdr.eth.dst, 0xff, 6);
	struct pkl_arp *a = &layer(&pkt, 1, PKL_PROTO_ARP)->hdr.arp;
	*a = (struct pkl_arp){ .op = 2, .addrs_decoded = true, .sha = { TF_MAC_B },
			       .spa = { TF_IP_B }, .tpa = { TF_IP_A }, .kind = PKL_ARP_REPLY };

	struct pkl_notes ns;
	pkl_notes_reset(&ns);
	struct pkl_findings f;
	pkl_findings_reset(&f);
	f.layer = 1;
	f.arp_conflict = true;
	memcpy(f.conflict_mac, other_mac, 6);
	f.conflict_frame = 9;
	f.arp = PKL_ARP_FOUND_UNSOLICITED;
	pkl_annotate(&pkt, &f, &plain, &ns);

	/* An unsolicited reply answers nothing: no "the owner answers". */
	const struct told want[] = {
		{ PKL_NOTE_ETH_BROADCAST, 0, { 0 } },
		{ PKL_NOTE_ARP_CONFLICT, 1, { 0x0a4d0102, 0x525400eeeeee, 9, 0x525400654321 } },
		{ PKL_NOTE_ARP_UNSOLICITED, 1, { 0x0a4d0101, 0x0a4d0102, 0x525400654321 } },
	};
	assert_told(&ns, want, sizeof want / sizeof want[0]);
}

/* What an ICMP error quotes, known to the frame or only to the
 * conversation, after the error's own notes. */
static void
test_quotes(void **state)
{
	(void)state;
	static const struct {
		uint8_t quote;
		uint64_t frame;
		uint32_t max_data;
		struct told note;
	} cases[] = {
		{ PKL_QUOTE_FOUND_UDP, 5, 0, { PKL_NOTE_ICMP_QUOTES_UDP, 1, { 2, 5 } } },
		{ PKL_QUOTE_FOUND_UDP, 0, 0,
		  { PKL_NOTE_ICMP_QUOTES_UDP_FLOW, 1, { 2, PKL_UDP_RECENT } } },
		{ PKL_QUOTE_FOUND_TCP, 0, 1460, { PKL_NOTE_ICMP_PMTU_TCP, 1, { 2, 1500, 1460 } } },
		{ PKL_QUOTE_FOUND_TCP, 0, 0, { PKL_NOTE_ICMP_QUOTES_TCP, 1, { 2 } } },
		{ PKL_QUOTE_FOUND_ECHO, 5, 0, { PKL_NOTE_ICMP_QUOTES_ECHO, 1, { 2, 5, 7 } } },
		{ PKL_QUOTE_FOUND_ECHO, 0, 0, { PKL_NOTE_ICMP_QUOTES_ECHO_SESSION, 1, { 2, 7 } } },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pkl_packet pkt = { 0 };
		layer(&pkt, 0, PKL_PROTO_IPV4)->hdr.ipv4.ttl = 64;
		struct pkl_icmp *ic = &layer(&pkt, 1, PKL_PROTO_ICMP)->hdr.icmp;
		ic->type = PKL_ICMP_UNREACH;
		ic->code = PKL_ICMP_UNREACH_NEEDFRAG;
		ic->next_hop_mtu = 1500;
		struct pkl_notes ns;
		pkl_notes_reset(&ns);
		struct pkl_findings f;
		pkl_findings_reset(&f);
		f.layer = 1;
		f.quote = cases[i].quote;
		f.quoted_id = 2;
		f.quoted_frame = cases[i].frame;
		f.quoted_seq = 7;
		f.quoted_mtu = 1500;
		f.quoted_max_data = cases[i].max_data;
		pkl_annotate(&pkt, &f, &plain, &ns);
		const struct told want[] = {
			{ PKL_NOTE_ICMP_FRAG_NEEDED, 1, { 1500 } }, cases[i].note,
		};
		assert_told(&ns, want, 2);
	}
}

/* A frame whose own layers say more than the list holds: the last of
 * their notes give way to the findings', all of which are told. */
static void
test_full_list_keeps_the_findings(void **state)
{
	(void)state;
	struct pkl_packet pkt = { 0 };
	memset(layer(&pkt, 0, PKL_PROTO_ETH)->hdr.eth.dst, 0xff, 6);
	for (unsigned i = 1; i < PKL_MAX_LAYERS - 1; i++)
		layer(&pkt, i, PKL_PROTO_VLAN)->hdr.vlan = (struct pkl_vlan){
			.tpid = PKL_ETHERTYPE_VLAN, .vid = (uint16_t)i };
	const unsigned tcp = PKL_MAX_LAYERS - 1;
	/* Ten notes of its own: SYN, ECN, MSS, window scale, SACK, the
	 * service, data, FIN, PSH, URG. */
	layer(&pkt, tcp, PKL_PROTO_TCP)->hdr.tcp = (struct pkl_tcp){
		.sport = 40000, .dport = 80, .window = 1000, .payload_len = 10,
		.flags = PKL_TCP_SYN | PKL_TCP_ECE | PKL_TCP_CWR | PKL_TCP_FIN | PKL_TCP_PSH |
			 PKL_TCP_URG,
		.has_mss = true, .mss = 1460, .has_wscale = true, .wscale = 7, .sack_perm = true,
	};

	struct pkl_notes ns;
	pkl_notes_reset(&ns);
	ns.conn = (struct pkl_conn_snapshot){ .valid = true, .id = 1 };
	struct pkl_findings f;
	pkl_findings_reset(&f);
	f.layer = (uint8_t)tcp;
	f.opening = PKL_OPENING_HANDSHAKE_1;
	f.syn_flood = true;
	pkl_annotate(&pkt, &f, &plain, &ns);

	assert_int_equal(ns.n, PKL_MAX_NOTES);
	const unsigned kept = PKL_MAX_NOTES - 3;
	assert_int_equal(ns.note[0].code, PKL_NOTE_ETH_BROADCAST);
	for (unsigned i = 1; i < PKL_MAX_LAYERS - 1; i++)
		assert_int_equal(ns.note[i].code, PKL_NOTE_VLAN_TAG);
	assert_int_equal(ns.note[PKL_MAX_LAYERS - 1].code, PKL_NOTE_TCP_SYN);
	assert_int_equal(ns.note[kept - 1].code, PKL_NOTE_TCP_SERVICE);
	assert_int_equal(ns.note[kept].code, PKL_NOTE_CONN_STATES);
	assert_int_equal(ns.note[kept + 1].code, PKL_NOTE_CONN_HANDSHAKE_1);
	assert_int_equal(ns.note[kept + 2].code, PKL_NOTE_CONN_SYN_FLOOD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_findings_in_order),
		cmocka_unit_test(test_tcp_steps),
		cmocka_unit_test(test_arp_findings_in_order),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_full_list_keeps_the_findings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
