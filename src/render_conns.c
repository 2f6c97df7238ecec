/* `pktlens conns`: one record per conversation, text or NDJSON.  Each
 * kind (TCP, UDP, echo, ARP, ARP conflict) is one field table below,
 * which gives both its JSON keys and its sentences (record.h). */
#include "render_conns.h"

#include "json.h"
#include "out.h"
#include "record.h"
#include "services.h"

/* What the getters read. */
struct conn_record {
	const struct pkl_conn *c;
	enum pkl_conn_exit why;
	/* An echo session's requests never answered, listed once here for
	 * the fields that tell them. */
	struct pkl_echo_ref lost[PKL_ECHO_LOST_KEPT + PKL_ECHO_PENDING];
	unsigned n_listed;
	uint32_t n_lost;
};

static const struct conn_record *
rec(const struct pkl_record *r)
{
	return r->subject;
}

static const struct pkl_conn *
conn(const struct pkl_record *r)
{
	return rec(r)->c;
}

static struct pkl_value
address(const struct pkl_conn *c, int e)
{
	return pkl_value_address(c->family, c->end[e].addr);
}

static struct pkl_value
endpoint(const struct pkl_conn *c, int e)
{
	return pkl_value_endpoint(c->family, c->end[e].addr, c->end[e].port);
}

/* At most max of n. */
static uint64_t
listed(uint64_t n, uint64_t max)
{
	return n < max ? n : max;
}

/* ---- every kind ------------------------------------------------------------ */

static const char *const exit_names[] = {
	[PKL_CONN_EXPIRED] = "expired", [PKL_CONN_EVICTED] = "evicted",
	[PKL_CONN_REUSED] = "reused", [PKL_CONN_AT_END] = "end", [PKL_CONN_CLOSED] = "closed",
};

static struct pkl_value
id(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->id);
}

static struct pkl_value
client_endpoint(const struct pkl_record *r)
{
	return endpoint(conn(r), PKL_CLIENT);
}

static struct pkl_value
server_endpoint(const struct pkl_record *r)
{
	return endpoint(conn(r), PKL_SERVER);
}

static struct pkl_value
client_address(const struct pkl_record *r)
{
	return address(conn(r), PKL_CLIENT);
}

static struct pkl_value
server_address(const struct pkl_record *r)
{
	return address(conn(r), PKL_SERVER);
}

static struct pkl_value
first_frame(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->first_frame);
}

static struct pkl_value
last_frame(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->last_frame);
}

static struct pkl_value
first_time(const struct pkl_record *r)
{
	return pkl_value_time(conn(r)->first_sec, conn(r)->first_nsec);
}

static struct pkl_value
last_time(const struct pkl_record *r)
{
	return pkl_value_time(conn(r)->last_sec, conn(r)->last_nsec);
}

static struct pkl_value
frames_c2s(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->end[PKL_CLIENT].frames);
}

static struct pkl_value
frames_s2c(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->end[PKL_SERVER].frames);
}

static struct pkl_value
bytes_c2s(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->end[PKL_CLIENT].bytes);
}

static struct pkl_value
bytes_s2c(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->end[PKL_SERVER].bytes);
}

static struct pkl_value
left_table(const struct pkl_record *r)
{
	return pkl_value_name(exit_names[rec(r)->why]);
}

static bool
evicted(const struct pkl_record *r)
{
	return rec(r)->why == PKL_CONN_EVICTED;
}

/* What the server's port is for, when it is known. */
static void
service(struct pkl_out *o, const struct pkl_record *r)
{
	pkl_service_append(o, conn(r)->end[PKL_SERVER].port);
}

#define ID_FIELD(tag) { PKL_FIELD_KEY("id"), .get = id, .at = 1, .before = (tag) }

/* First and last frame and their times, from text place `at` on. */
#define SPAN_FIELDS(place)                                                              \
	{ PKL_FIELD_KEY("first_frame"), .get = first_frame, .at = (place),               \
	  .before = "\n  frames " },                                                     \
	{ PKL_FIELD_KEY("last_frame"), .get = last_frame, .at = (place) + 1, .before = ".." }, \
	{ PKL_FIELD_KEY("first_time"), .get = first_time, .at = (place) + 2,             \
	  .before = ", time " },                                                         \
	{ PKL_FIELD_KEY("last_time"), .get = last_time, .at = (place) + 3, .before = " .. ", \
	  .after = " s" }

/* Why the record left the table; the text only tells an eviction. */
#define LEFT_TABLE_FIELD(place)                                                         \
	{ PKL_FIELD_KEY("left_table"), .get = left_table, .at = (place), .shown = evicted, \
	  .flags = PKL_FIELD_SENTENCE,                                                   \
	  .before = "\n  ! evicted from the full table: later frames count as a new conversation" }

/* ---- the ICMP errors that quote a conversation ---------------------------- */

static const struct pkl_icmp_error_ref *
icmp_error(const struct pkl_record *r)
{
	return &conn(r)->icmp_error[r->i];
}

static struct pkl_value
error_frame(const struct pkl_record *r)
{
	return pkl_value_u64(icmp_error(r)->frame);
}

static struct pkl_value
error_type(const struct pkl_record *r)
{
	return pkl_value_u64(icmp_error(r)->type);
}

static struct pkl_value
error_code(const struct pkl_record *r)
{
	return pkl_value_u64(icmp_error(r)->code);
}

static struct pkl_value
error_quoted_frame(const struct pkl_record *r)
{
	return pkl_value_u64_or_null(icmp_error(r)->quoted_frame);
}

static struct pkl_value
error_mtu(const struct pkl_record *r)
{
	return pkl_value_u64_or_null(icmp_error(r)->mtu);
}

/* " destination unreachable (port unreachable)" */
static void
error_kind(struct pkl_out *o, const struct pkl_record *r)
{
	pkl_out_char(o, ' ');
	pkl_render_icmp_kind(o, conn(r)->family != 4, icmp_error(r)->type, icmp_error(r)->code);
}

static const struct pkl_field icmp_error_field[] = {
	{ PKL_FIELD_KEY("frame"), .get = error_frame, .at = 1, .before = "frame " },
	{ PKL_FIELD_KEY("type"), .get = error_type },
	{ PKL_FIELD_KEY("code"), .get = error_code },
	{ .text = error_kind, .at = 2 },
	{ PKL_FIELD_KEY("quoted_frame"), .get = error_quoted_frame, .at = 4,
	  .before = ", quoting frame " },
	{ PKL_FIELD_KEY("mtu"), .get = error_mtu, .at = 3, .before = ", next-hop MTU " },
};
static struct pkl_fields icmp_error_fields = PKL_FIELDS(icmp_error_field);

static struct pkl_value
icmp_errors(const struct pkl_record *r)
{
	uint32_t n = conn(r)->icmp_errors;

	return pkl_value_list(true, listed(n, PKL_CONN_ICMP_ERRORS), n);
}

static struct pkl_value
icmp_error_count(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->icmp_errors);
}

#define ICMP_ERROR_FIELDS(place)                                                        \
	{ PKL_FIELD_KEY("icmp_errors"), .get = icmp_errors, .fields = &icmp_error_fields, \
	  .at = (place) + 1, .flags = PKL_FIELD_NONZERO, .before = ": ", .sep = "; ",     \
	  .more = "; ..." },                                                             \
	{ PKL_FIELD_KEY("icmp_error_count"), .get = icmp_error_count, .at = (place),     \
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ",                                  \
	  .after_one = " ICMP error quotes it", .after = " ICMP errors quote it" }

/* ---- TCP ------------------------------------------------------------------- */

static bool
handshake_complete(const struct pkl_conn *c)
{
	return c->handshake_frames[0] && c->handshake_frames[1] && c->handshake_frames[2];
}

static const char *
time_wait_holder(const struct pkl_conn *c)
{
	bool cl = c->time_wait_until[0] != 0, sv = c->time_wait_until[1] != 0;
	return cl && sv ? "both" : cl ? "client" : sv ? "server" : NULL;
}

static struct pkl_value
tcp_proto(const struct pkl_record *r)
{
	(void)r;
	return pkl_value_label("tcp", "TCP");
}

static struct pkl_value
roles_inferred(const struct pkl_record *r)
{
	return pkl_value_bool(conn(r)->roles_inferred);
}

static struct pkl_value
handshake_frames(const struct pkl_record *r)
{
	return pkl_value_list(handshake_complete(conn(r)), 3, 3);
}

static struct pkl_value
handshake_frame(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->handshake_frames[r->i]);
}

static struct pkl_value
close_kind(const struct pkl_record *r)
{
	return pkl_value_name(pkl_conn_close_name(conn(r)->close));
}

static struct pkl_value
client_state(const struct pkl_record *r)
{
	return pkl_value_name(pkl_tcp_state_name(conn(r)->tcp[PKL_CLIENT].state));
}

static struct pkl_value
server_state(const struct pkl_record *r)
{
	return pkl_value_name(pkl_tcp_state_name(conn(r)->tcp[PKL_SERVER].state));
}

static struct pkl_value
time_wait(const struct pkl_record *r)
{
	return pkl_value_name(time_wait_holder(conn(r)));
}

static struct pkl_value
retransmissions(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->retransmissions);
}

static struct pkl_value
dup_acks(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->dup_acks);
}

static struct pkl_value
out_of_order(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->out_of_order);
}

static struct pkl_value
zero_windows(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->zero_windows);
}

static struct pkl_value
coalesced(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->coalesced);
}

static struct pkl_value
first_coalesced(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->first_coalesced);
}

static struct pkl_value
ttl_changes(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->ttl_changes);
}

static struct pkl_value
handshake_rtt(const struct pkl_record *r)
{
	const struct pkl_conn *c = conn(r);
	return pkl_value_ms_or_null(handshake_complete(c), (c->ack_time_ns - c->syn_time_ns) / 1000);
}

/* Each end's first FIN, in frame order (0: none, not listed). */
static void
fins_in_order(const struct pkl_conn *c, uint64_t fins[2])
{
	bool swap = c->fin_frames[0] > c->fin_frames[1];
	fins[0] = c->fin_frames[swap];
	fins[1] = c->fin_frames[!swap];
}

static struct pkl_value
fin_frames(const struct pkl_record *r)
{
	const struct pkl_conn *c = conn(r);
	return pkl_value_list(true, (c->fin_frames[0] != 0) + (c->fin_frames[1] != 0), 0);
}

static struct pkl_value
fin_frame(const struct pkl_record *r)
{
	uint64_t fins[2];
	fins_in_order(conn(r), fins);
	unsigned none = fins[0] == 0;
	return pkl_value_u64(fins[none + r->i]);
}

/* When the 2*MSL of the (later) holder ends, on the capture's clock. */
static struct pkl_value
time_wait_until(const struct pkl_record *r)
{
	const struct pkl_conn *c = conn(r);
	int64_t until = c->time_wait_until[0] > c->time_wait_until[1] ? c->time_wait_until[0]
								: c->time_wait_until[1];
	return pkl_value_time_or_null(time_wait_holder(c), until, c->last_nsec);
}

/* The text tells the client's end of TIME_WAIT when it holds it. */
static struct pkl_value
time_wait_end_told(const struct pkl_record *r)
{
	const struct pkl_conn *c = conn(r);
	int e = c->time_wait_until[PKL_CLIENT] ? PKL_CLIENT : PKL_SERVER;
	return pkl_value_time_or_null(time_wait_holder(c), c->time_wait_until[e], c->last_nsec);
}

/* An end left in CLOSE_WAIT got end of stream and never closed. */
static struct pkl_value
close_wait(const struct pkl_record *r)
{
	const struct pkl_conn *c = conn(r);

	if (c->tcp[PKL_CLIENT].state == PKL_TCPS_CLOSE_WAIT)
		return pkl_value_name("client");
	if (c->tcp[PKL_SERVER].state == PKL_TCPS_CLOSE_WAIT)
		return pkl_value_name("server");
	return pkl_value_name(NULL);
}

/* In the order of the JSON keys; .at is the place in the text. */
static const struct pkl_field tcp_field[] = {
	ID_FIELD("conn #"),
	{ PKL_FIELD_KEY("proto"), .get = tcp_proto, .at = 2, .before = "  " },
	{ PKL_FIELD_KEY("client"), .get = client_endpoint, .at = 3, .before = "  client " },
	{ PKL_FIELD_KEY("server"), .get = server_endpoint, .at = 4, .before = " -> server " },
	{ .text = service, .at = 5 },
	{ PKL_FIELD_KEY("roles_inferred"), .get = roles_inferred, .at = 6,
	  .flags = PKL_FIELD_SENTENCE, .before = "  [handshake not seen: roles inferred]" },
	SPAN_FIELDS(7),
	{ PKL_FIELD_KEY("handshake_frames"), .get = handshake_frames, .item = handshake_frame,
	  .at = 15, .before = "\n  handshake: frames ", .sep = ", ",
	  .null_text = "\n  handshake: not seen complete" },
	{ PKL_FIELD_KEY("handshake_rtt_ms"), .get = handshake_rtt, .at = 16, .before = ", RTT ",
	  .after = " ms" },
	{ PKL_FIELD_KEY("close"), .get = close_kind, .at = 17, .before = "\n  close: " },
	{ PKL_FIELD_KEY("fin_frames"), .get = fin_frames, .item = fin_frame },
	{ PKL_FIELD_KEY("client_state"), .get = client_state, .at = 18,
	  .before = ";  final states: client " },
	{ PKL_FIELD_KEY("server_state"), .get = server_state, .at = 19, .before = ", server " },
	{ PKL_FIELD_KEY("time_wait"), .get = time_wait, .at = 20,
	  .before = ";  TIME_WAIT held by " },
	{ PKL_FIELD_KEY("time_wait_until"), .get = time_wait_until },
	{ .get = time_wait_end_told, .at = 21, .before = " until ", .after = " s" },
	{ PKL_FIELD_KEY("close_wait"), .get = close_wait, .at = 22, .flags = PKL_FIELD_SENTENCE,
	  .before = "\n  ! an end is still in CLOSE_WAIT: its application got end of stream but never closed (a likely bug)" },
	{ PKL_FIELD_KEY("retransmissions"), .get = retransmissions, .at = 26,
	  .before = "\n  analysis: ", .after = " retransmissions" },
	{ PKL_FIELD_KEY("dup_acks"), .get = dup_acks, .at = 27, .before = ", ",
	  .after = " duplicate ACKs" },
	{ PKL_FIELD_KEY("out_of_order"), .get = out_of_order, .at = 28, .before = ", ",
	  .after = " out-of-order" },
	{ PKL_FIELD_KEY("zero_windows"), .get = zero_windows, .at = 29, .before = ", ",
	  .after = " zero windows" },
	{ PKL_FIELD_KEY("coalesced_segments"), .get = coalesced, .at = 23,
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ! ",
	  .after = " segment(s) carried small writes sent together (Nagle), first frame " },
	{ .get = first_coalesced, .at = 24, .flags = PKL_FIELD_NONZERO,
	  .after = ": TCP is a byte stream, so an application must mark its messages (a length prefix)" },
	{ PKL_FIELD_KEY("ttl_changes"), .get = ttl_changes, .at = 25, .flags = PKL_FIELD_NONZERO,
	  .before = "\n  ! the TTL changed ",
	  .after = " time(s) within the connection: a route change, or forged packets" },
	{ PKL_FIELD_KEY("frames_c2s"), .get = frames_c2s, .at = 11,
	  .before = ";  client -> server ", .after = " frames " },
	{ PKL_FIELD_KEY("frames_s2c"), .get = frames_s2c, .at = 13,
	  .before = ";  server -> client ", .after = " frames " },
	{ PKL_FIELD_KEY("bytes_c2s"), .get = bytes_c2s, .at = 12, .after = " bytes" },
	{ PKL_FIELD_KEY("bytes_s2c"), .get = bytes_s2c, .at = 14, .after = " bytes" },
	ICMP_ERROR_FIELDS(30),
	LEFT_TABLE_FIELD(32),
};

/* ---- UDP ------------------------------------------------------------------- */

static struct pkl_value
udp_proto(const struct pkl_record *r)
{
	(void)r;
	return pkl_value_label("udp", "UDP");
}

static const struct pkl_field udp_field[] = {
	ID_FIELD("udp #"),
	{ PKL_FIELD_KEY("proto"), .get = udp_proto, .at = 2, .before = "  " },
	{ PKL_FIELD_KEY("client"), .get = client_endpoint, .at = 3, .before = "  client " },
	{ PKL_FIELD_KEY("server"), .get = server_endpoint, .at = 4, .before = " -> server " },
	{ .text = service, .at = 5 },
	SPAN_FIELDS(6),
	{ PKL_FIELD_KEY("frames_c2s"), .get = frames_c2s, .at = 10,
	  .before = ";  client -> server ", .after_one = " datagram ", .after = " datagrams " },
	{ PKL_FIELD_KEY("frames_s2c"), .get = frames_s2c, .at = 12,
	  .before = ";  server -> client ", .after_one = " datagram ", .after = " datagrams " },
	{ PKL_FIELD_KEY("bytes_c2s"), .get = bytes_c2s, .at = 11, .after_one = " byte",
	  .after = " bytes" },
	{ PKL_FIELD_KEY("bytes_s2c"), .get = bytes_s2c, .at = 13, .after_one = " byte",
	  .after = " bytes" },
	ICMP_ERROR_FIELDS(14),
	LEFT_TABLE_FIELD(16),
};

/* ---- ICMP echo sessions ----------------------------------------------------- */

static const struct pkl_echo_session *
echo(const struct pkl_record *r)
{
	return &conn(r)->x.echo;
}

static const struct pkl_echo_ref *
lost_request(const struct pkl_record *r)
{
	return &rec(r)->lost[r->i];
}

static struct pkl_value
echo_proto(const struct pkl_record *r)
{
	if (conn(r)->family == 4)
		return pkl_value_label("icmp", "ICMP echo");
	return pkl_value_label("icmpv6", "ICMPv6 echo");
}

static struct pkl_value
icmp_id(const struct pkl_record *r)
{
	return pkl_value_u64(conn(r)->end[PKL_CLIENT].port);
}

static struct pkl_value
echo_requests(const struct pkl_record *r)
{
	return pkl_value_u64(echo(r)->requests);
}

static struct pkl_value
echo_replies(const struct pkl_record *r)
{
	return pkl_value_u64(echo(r)->replies);
}

static struct pkl_value
lost_count(const struct pkl_record *r)
{
	return pkl_value_u64(rec(r)->n_lost);
}

static struct pkl_value
lost_seq(const struct pkl_record *r)
{
	return pkl_value_u64(lost_request(r)->seq);
}

static struct pkl_value
lost_frame(const struct pkl_record *r)
{
	return pkl_value_u64(lost_request(r)->frame);
}

static struct pkl_value
duplicates(const struct pkl_record *r)
{
	return pkl_value_u64(echo(r)->duplicates);
}

static struct pkl_value
unmatched(const struct pkl_record *r)
{
	return pkl_value_u64(echo(r)->unmatched);
}

static struct pkl_value
lost_requests(const struct pkl_record *r)
{
	return pkl_value_list(true, rec(r)->n_listed, rec(r)->n_lost);
}

/* Round trips, in milliseconds, when a reply was timed. */
static struct pkl_value
rtt_min(const struct pkl_record *r)
{
	return pkl_value_ms_or_null(echo(r)->answers, echo(r)->rtt_min_ns / 1000);
}

static struct pkl_value
rtt_avg(const struct pkl_record *r)
{
	const struct pkl_echo_session *e = echo(r);
	return pkl_value_ms_or_null(e->answers, e->answers ? e->rtt_sum_ns / e->answers / 1000 : 0);
}

static struct pkl_value
rtt_max(const struct pkl_record *r)
{
	return pkl_value_ms_or_null(echo(r)->answers, echo(r)->rtt_max_ns / 1000);
}

static const struct pkl_field lost_field[] = {
	{ PKL_FIELD_KEY("lost_seqs"), .get = lost_seq, .at = 1, .before = "seq " },
	{ PKL_FIELD_KEY("lost_frames"), .get = lost_frame, .at = 2, .before = " (frame ",
	  .after = ")" },
};
static struct pkl_fields lost_fields = PKL_FIELDS(lost_field);

static const struct pkl_field echo_field[] = {
	ID_FIELD("ping #"),
	{ PKL_FIELD_KEY("proto"), .get = echo_proto, .at = 2, .before = "  " },
	{ PKL_FIELD_KEY("client"), .get = client_address, .at = 3, .before = "  client " },
	{ PKL_FIELD_KEY("server"), .get = server_address, .at = 4, .before = " -> server " },
	{ PKL_FIELD_KEY("icmp_id"), .get = icmp_id, .at = 5, .before = "  id " },
	SPAN_FIELDS(6),
	{ PKL_FIELD_KEY("requests"), .get = echo_requests, .at = 10, .before = ";  ",
	  .after_one = " request, ", .after = " requests, " },
	{ PKL_FIELD_KEY("replies"), .get = echo_replies, .at = 11, .after_one = " reply",
	  .after = " replies" },
	{ PKL_FIELD_KEY("lost"), .get = lost_count, .at = 15, .flags = PKL_FIELD_NONZERO,
	  .before = "\n  ! ", .after_one = " request never answered:",
	  .after = " requests never answered:" },
	{ .get = lost_requests, .fields = &lost_fields, .at = 16,
	  .flags = PKL_FIELD_COLUMNS | PKL_FIELD_NONZERO, .before = " ", .sep = ", ",
	  .more = ", ..." },
	{ PKL_FIELD_KEY("duplicates"), .get = duplicates, .at = 17, .flags = PKL_FIELD_NONZERO,
	  .before = "\n  ! ", .after_one = " duplicate reply", .after = " duplicate replies" },
	{ PKL_FIELD_KEY("unmatched_replies"), .get = unmatched, .at = 18,
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ", .after_one = " reply to no request seen",
	  .after = " replies to no request seen" },
	{ PKL_FIELD_KEY("rtt_min_ms"), .get = rtt_min, .at = 12,
	  .before = "\n  round trip: min ", .after = " ms" },
	{ PKL_FIELD_KEY("rtt_avg_ms"), .get = rtt_avg, .at = 13, .before = ", avg ", .after = " ms" },
	{ PKL_FIELD_KEY("rtt_max_ms"), .get = rtt_max, .at = 14, .before = ", max ", .after = " ms" },
	ICMP_ERROR_FIELDS(19),
	LEFT_TABLE_FIELD(21),
};

/* ---- ARP exchanges ----------------------------------------------------------- */

static const struct pkl_arp_exchange *
arp(const struct pkl_record *r)
{
	return &conn(r)->x.arp;
}

static bool
asked(const struct pkl_record *r)
{
	return arp(r)->kind == PKL_ARPX_REQUEST || arp(r)->kind == PKL_ARPX_PROBE;
}

static bool
answered(const struct pkl_record *r)
{
	return asked(r) && arp(r)->reply_frame;
}

static bool
answered_probe(const struct pkl_record *r)
{
	return answered(r) && arp(r)->kind == PKL_ARPX_PROBE;
}

static bool
answered_by_many(const struct pkl_record *r)
{
	return answered(r) && arp(r)->n_answer_macs > 1;
}

static bool
unanswered_probe(const struct pkl_record *r)
{
	return asked(r) && !arp(r)->reply_frame && arp(r)->kind == PKL_ARPX_PROBE;
}

static bool
unanswered_request(const struct pkl_record *r)
{
	return asked(r) && !arp(r)->reply_frame && arp(r)->kind == PKL_ARPX_REQUEST;
}

static const char *const arp_kinds[] = {
	[PKL_ARPX_REQUEST] = "request", [PKL_ARPX_PROBE] = "probe",
	[PKL_ARPX_GRATUITOUS] = "gratuitous", [PKL_ARPX_UNSOLICITED] = "unsolicited",
};

static struct pkl_value
arp_proto(const struct pkl_record *r)
{
	(void)r;
	return pkl_value_name("arp");
}

static struct pkl_value
arp_kind(const struct pkl_record *r)
{
	return pkl_value_name(arp_kinds[arp(r)->kind]);
}

static struct pkl_value
asker_mac(const struct pkl_record *r)
{
	return pkl_value_mac(arp(r)->asker_mac);
}

static struct pkl_value
answer_macs(const struct pkl_record *r)
{
	return pkl_value_list(true, arp(r)->n_answer_macs, 0);
}

static struct pkl_value
answer_mac(const struct pkl_record *r)
{
	return pkl_value_mac(arp(r)->answer_mac[r->i]);
}

static struct pkl_value
arp_requests(const struct pkl_record *r)
{
	return pkl_value_u64(arp(r)->requests);
}

static struct pkl_value
arp_replies(const struct pkl_record *r)
{
	return pkl_value_u64(arp(r)->replies);
}

static struct pkl_value
reply_frame(const struct pkl_record *r)
{
	return pkl_value_u64(arp(r)->reply_frame);
}

static struct pkl_value
answered_frame(const struct pkl_record *r)
{
	return pkl_value_u64(arp(r)->answered_frame);
}

static struct pkl_value
answer_frames(const struct pkl_record *r)
{
	return pkl_value_list(arp(r)->reply_frame, 2, 2);
}

static struct pkl_value
answer_ms(const struct pkl_record *r)
{
	return pkl_value_ms_or_null(arp(r)->reply_frame, arp(r)->answer_ns / 1000);
}

/* The request, then its reply. */
static struct pkl_value
answer_frame(const struct pkl_record *r)
{
	return pkl_value_u64(r->i == 0 ? arp(r)->answered_frame : arp(r)->reply_frame);
}

static void
text_address(struct pkl_out *o, const struct pkl_conn *c, int e)
{
	if (c->family == 4)
		pkl_out_ipv4(o, c->end[e].addr);
	else
		pkl_out_ipv6(o, c->end[e].addr);
}

/* What was asked or told, as the kind says it. */
static void
arp_headline(struct pkl_out *o, const struct pkl_record *r)
{
	const struct pkl_arp_exchange *x = arp(r);
	const struct pkl_conn *c = conn(r);

	switch (x->kind) {
	case PKL_ARPX_REQUEST:
		pkl_out_str(o, "  who-has ");
		text_address(o, c, PKL_SERVER);
		pkl_out_str(o, "? asked by ");
		text_address(o, c, PKL_CLIENT);
		pkl_out_str(o, " (");
		pkl_out_mac(o, x->asker_mac);
		pkl_out_char(o, ')');
		break;
	case PKL_ARPX_PROBE:
		pkl_out_str(o, "  probe: is ");
		text_address(o, c, PKL_SERVER);
		pkl_out_str(o, " in use? asked by ");
		pkl_out_mac(o, x->asker_mac);
		break;
	case PKL_ARPX_GRATUITOUS:
		pkl_out_str(o, "  gratuitous: ");
		text_address(o, c, PKL_CLIENT);
		pkl_out_str(o, " announced by ");
		pkl_out_mac(o, x->asker_mac);
		break;
	case PKL_ARPX_UNSOLICITED:
		pkl_out_str(o, "  unsolicited reply: ");
		text_address(o, c, PKL_SERVER);
		pkl_out_str(o, " is-at ");
		pkl_out_mac(o, x->answer_mac[0]);
		pkl_out_str(o, ", told to ");
		text_address(o, c, PKL_CLIENT);
		pkl_out_str(o, " (");
		pkl_out_mac(o, x->asker_mac);
		pkl_out_char(o, ')');
		break;
	}
}

static const struct pkl_field arp_field[] = {
	ID_FIELD("arp #"),
	{ PKL_FIELD_KEY("proto"), .get = arp_proto },
	{ PKL_FIELD_KEY("kind"), .get = arp_kind },
	{ .text = arp_headline, .at = 2 },
	{ PKL_FIELD_KEY("client"), .get = client_address },
	{ PKL_FIELD_KEY("client_mac"), .get = asker_mac },
	{ PKL_FIELD_KEY("server"), .get = server_address },
	{ PKL_FIELD_KEY("server_macs"), .get = answer_macs, .item = answer_mac, .at = 9,
	  .shown = answered, .before = "\n  answer: ", .sep = " and " },
	{ .get = reply_frame, .at = 10, .shown = answered, .before = " in frame " },
	{ .get = answered_frame, .at = 11, .shown = answered, .before = " to the request of frame " },
	SPAN_FIELDS(3),
	{ PKL_FIELD_KEY("requests"), .get = arp_requests, .at = 7, .before = ";  ",
	  .after_one = " request, ", .after = " requests, " },
	{ PKL_FIELD_KEY("replies"), .get = arp_replies, .at = 8, .after_one = " reply",
	  .after = " replies" },
	{ PKL_FIELD_KEY("answer_frames"), .get = answer_frames, .item = answer_frame },
	{ PKL_FIELD_KEY("answer_ms"), .get = answer_ms, .at = 12, .shown = answered,
	  .before = ", after ", .after = " ms" },
	{ .at = 13, .shown = answered_probe,
	  .before = "\n  ! the probed address is taken: the prober must not use it" },
	{ .at = 14, .shown = answered_by_many,
	  .before = "\n  ! more than one MAC answered: an address conflict" },
	{ .at = 15, .shown = unanswered_probe, .before = "\n  no answer: nobody claimed the address" },
	{ .at = 16, .shown = unanswered_request,
	  .before = "\n  ! no answer: the host is down or absent, or its replies were lost" },
	LEFT_TABLE_FIELD(17),
};

/* ---- ARP conflicts: one address, claimed by several MACs ------------------- */

static const struct pkl_arp_binding *
binding(const struct pkl_record *r)
{
	return &conn(r)->x.binding;
}

static const struct pkl_arp_claimer *
claimer(const struct pkl_record *r)
{
	return &binding(r)->mac[r->i];
}

static struct pkl_value
conflict_kind(const struct pkl_record *r)
{
	(void)r;
	return pkl_value_name("conflict");
}

static struct pkl_value
claimed_address(const struct pkl_record *r)
{
	return address(conn(r), 0);
}

static struct pkl_value
claimer_count(const struct pkl_record *r)
{
	return pkl_value_u64(binding(r)->n_macs);
}

static struct pkl_value
claimers(const struct pkl_record *r)
{
	return pkl_value_list(true, binding(r)->n_macs, 0);
}

static struct pkl_value
other_claims(const struct pkl_record *r)
{
	return pkl_value_u64(binding(r)->other_claims);
}

static struct pkl_value
claimer_mac(const struct pkl_record *r)
{
	return pkl_value_mac(claimer(r)->mac);
}

static struct pkl_value
claimer_claims(const struct pkl_record *r)
{
	return pkl_value_u64(claimer(r)->claims);
}

static struct pkl_value
claim_frame(const struct pkl_record *r)
{
	return pkl_value_u64(claimer(r->parent)->frames[r->i]);
}

static struct pkl_value
claim_frames(const struct pkl_record *r)
{
	uint32_t claims = claimer(r)->claims;
	return pkl_value_list(true, listed(claims, PKL_ARP_CLAIM_FRAMES), claims);
}

static const struct pkl_field claimer_field[] = {
	{ PKL_FIELD_KEY("mac"), .get = claimer_mac, .at = 1, .before = "\n  ", .after = ": " },
	{ PKL_FIELD_KEY("claims"), .get = claimer_claims, .at = 2, .after_one = " claim, frame",
	  .after = " claims, frames" },
	{ PKL_FIELD_KEY("frames"), .get = claim_frames, .item = claim_frame, .at = 3,
	  .flags = PKL_FIELD_NONZERO, .before = " ", .sep = ", ", .more = ", ..." },
};
static struct pkl_fields claimer_fields = PKL_FIELDS(claimer_field);

static const struct pkl_field conflict_field[] = {
	ID_FIELD("arp #"),
	{ PKL_FIELD_KEY("proto"), .get = arp_proto },
	{ PKL_FIELD_KEY("kind"), .get = conflict_kind },
	{ PKL_FIELD_KEY("ip"), .get = claimed_address, .at = 2, .before = "  ! conflict: " },
	{ .get = claimer_count, .at = 3, .before = " claimed by ", .after_one = " MAC",
	  .after = " MACs" },
	{ .get = other_claims, .at = 4, .flags = PKL_FIELD_SENTENCE, .before = " and more" },
	{ PKL_FIELD_KEY("macs"), .get = claimers, .fields = &claimer_fields, .at = 9 },
	{ PKL_FIELD_KEY("other_claims"), .get = other_claims, .at = 10, .flags = PKL_FIELD_NONZERO,
	  .before = "\n  ", .after_one = " claim by further MACs", .after = " claims by further MACs" },
	SPAN_FIELDS(5),
	{ .at = 11,
	  .before = "\n  ! two hosts configured with one address, or one impersonating the other (ARP spoofing)" },
	LEFT_TABLE_FIELD(12),
};

void
pkl_render_conn(void *view, const struct pkl_conn *c, enum pkl_conn_exit why)
{
	/* Not const: each keeps its text order once worked out. */
	static struct pkl_fields fields[PKL_KIND_COUNT] = {
		[PKL_KIND_TCP] = PKL_FIELDS(tcp_field),
		[PKL_KIND_UDP] = PKL_FIELDS(udp_field),
		[PKL_KIND_ECHO] = PKL_FIELDS(echo_field),
		[PKL_KIND_ARP] = PKL_FIELDS(arp_field),
		[PKL_KIND_ARP_BINDING] = PKL_FIELDS(conflict_field),
	};
	struct pkl_conns_view *v = view;
	struct conn_record cr = { .c = c, .why = why };
	const struct pkl_record r = { .subject = &cr, .clock = v->clock };

	/* An address one MAC claimed is no news: only conflicts are. */
	if (c->kind == PKL_KIND_ARP_BINDING && c->x.binding.n_macs < 2)
		return;
	if (c->kind == PKL_KIND_ECHO)
		cr.n_lost = pkl_echo_lost(c, cr.lost, sizeof cr.lost / sizeof cr.lost[0],
					  &cr.n_listed);
	if (v->json) {
		struct pkl_json j;
		pkl_json_init(&j, v->out);
		pkl_json_object_open(&j);
		pkl_record_json(&j, &fields[c->kind], &r);
		pkl_json_object_close(&j);
		pkl_out_char(v->out, '\n');
	} else {
		pkl_record_text(v->out, &fields[c->kind], &r);
		pkl_out_str(v->out, "\n\n");
	}
}
