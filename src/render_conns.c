/* `pktlens conns`: one record per conversation, text or NDJSON.  Each
 * kind (TCP, UDP, echo, ARP, ARP conflict) is one field table below,
 * which gives both its JSON keys and its sentences (record.h), read
 * from the record the tracker hands over (conn_record.h). */
#include "render_conns.h"

#include "json.h"
#include "out.h"
#include "record.h"
#include "render.h"
#include "services.h"
#include "tcp_state.h"

/* A value of the record, at its place. */
#define VALUE(value_type, member) .type = (value_type), PKL_AT(struct pkl_conn_record, member)
/* A constant name, spelt one way in JSON and another in the text. */
#define LABEL(json_name, text_name) .type = PKL_VAL_NAME, .label = { (json_name), (text_name) }

static const struct pkl_conn_record *
rec(const struct pkl_record *r)
{
	return r->subject;
}

/* The elements of the lists of frame numbers and MACs. */
static const struct pkl_field frame_number = { .type = PKL_VAL_U64, .size = sizeof(uint64_t) };
static const struct pkl_field mac = { .type = PKL_VAL_MAC };

/* A number that means none when it is 0. */
static struct pkl_value
u64_or_null(uint64_t v)
{
	return (struct pkl_value){ .type = PKL_VAL_U64, .null = v == 0, .u = v };
}

/* ---- every kind ------------------------------------------------------------ */

static const char *
left_name(uint64_t why)
{
	static const char *const names[] = {
		[PKL_CONN_EXPIRED] = "expired", [PKL_CONN_EVICTED] = "evicted",
		[PKL_CONN_REUSED] = "reused", [PKL_CONN_AT_END] = "end", [PKL_CONN_CLOSED] = "closed",
	};
	return names[why];
}

static bool
evicted(const struct pkl_record *r)
{
	return rec(r)->left == PKL_CONN_EVICTED;
}

/* What a server's port is for, when it is known. */
static const char *
service_name(uint64_t port)
{
	return pkl_service_name((uint16_t)port);
}

#define ID_FIELD(tag) { PKL_FIELD_KEY("id"), VALUE(PKL_VAL_U64, id), .at = 1, .before = (tag) }

#define SERVICE_FIELD(place)                                                            \
	{ VALUE(PKL_VAL_NAME, server.endpoint.port), .name = service_name, .at = (place), \
	  .before = " (", .after = ")" }

/* First and last frame and their times, from text place `at` on. */
#define SPAN_FIELDS(place)                                                              \
	{ PKL_FIELD_KEY("first_frame"), VALUE(PKL_VAL_U64, first_frame), .at = (place),  \
	  .before = "\n  frames " },                                                     \
	{ PKL_FIELD_KEY("last_frame"), VALUE(PKL_VAL_U64, last_frame), .at = (place) + 1, \
	  .before = ".." },                                                              \
	{ PKL_FIELD_KEY("first_time"), VALUE(PKL_VAL_TIME, first_time), .at = (place) + 2, \
	  .before = ", time " },                                                         \
	{ PKL_FIELD_KEY("last_time"), VALUE(PKL_VAL_TIME, last_time), .at = (place) + 3,  \
	  .before = " .. ", .after = " s" }

/* Why the record left the table; the text only tells an eviction. */
#define LEFT_TABLE_FIELD(place)                                                         \
	{ PKL_FIELD_KEY("left_table"), VALUE(PKL_VAL_NAME, left), .name = left_name,     \
	  .at = (place), .shown = evicted, .flags = PKL_FIELD_SENTENCE,                  \
	  .before = "\n  ! evicted from the full table: later frames count as a new conversation" }

/* ---- the ICMP errors that quote a conversation ---------------------------- */

#define ERROR_VALUE(value_type, member) \
	.type = (value_type), PKL_AT(struct pkl_icmp_error_ref, member)

static const struct pkl_icmp_error_ref *
icmp_error(const struct pkl_record *r)
{
	return r->subject;
}

static struct pkl_value
error_quoted_frame(const struct pkl_record *r)
{
	return u64_or_null(icmp_error(r)->quoted_frame);
}

static struct pkl_value
error_mtu(const struct pkl_record *r)
{
	return u64_or_null(icmp_error(r)->mtu);
}

/* " destination unreachable (port unreachable)" */
static void
error_kind(struct pkl_out *o, const struct pkl_record *r)
{
	bool v6 = rec(r->parent)->client.endpoint.family != 4;

	pkl_out_char(o, ' ');
	pkl_render_icmp_kind(o, v6, icmp_error(r)->type, icmp_error(r)->code);
}

static const struct pkl_field icmp_error_field[] = {
	{ PKL_FIELD_KEY("frame"), ERROR_VALUE(PKL_VAL_U64, frame), .at = 1, .before = "frame " },
	{ PKL_FIELD_KEY("type"), ERROR_VALUE(PKL_VAL_U64, type) },
	{ PKL_FIELD_KEY("code"), ERROR_VALUE(PKL_VAL_U64, code) },
	{ .text = error_kind, .at = 2 },
	{ PKL_FIELD_KEY("quoted_frame"), .get = error_quoted_frame, .at = 4,
	  .before = ", quoting frame " },
	{ PKL_FIELD_KEY("mtu"), .get = error_mtu, .at = 3, .before = ", next-hop MTU " },
};
static struct pkl_fields icmp_error_fields = PKL_FIELDS(icmp_error_field);

#define ICMP_ERROR_FIELDS(place)                                                        \
	{ PKL_FIELD_KEY("icmp_errors"), VALUE(PKL_VAL_LIST, icmp_errors_listed),         \
	  PKL_TOTAL(struct pkl_conn_record, icmp_error_count),                           \
	  PKL_ITEMS(struct pkl_conn_record, icmp_error), .fields = &icmp_error_fields,   \
	  .at = (place) + 1, .flags = PKL_FIELD_NONZERO, .before = ": ", .sep = "; ",     \
	  .more = "; ..." },                                                             \
	{ PKL_FIELD_KEY("icmp_error_count"), VALUE(PKL_VAL_U64, icmp_error_count),       \
	  .at = (place), .flags = PKL_FIELD_NONZERO, .before = "\n  ",                   \
	  .after_one = " ICMP error quotes it", .after = " ICMP errors quote it" }

/* ---- TCP ------------------------------------------------------------------- */

static const char *
close_name(uint64_t close)
{
	return pkl_conn_close_name((enum pkl_conn_close)close);
}

static const char *
state_name(uint64_t state)
{
	return pkl_tcp_state_name((enum pkl_tcp_state)state);
}

static const char *
ends_name(uint64_t ends)
{
	static const char *const names[] = {
		[PKL_ENDS_NONE] = NULL, [PKL_ENDS_CLIENT] = "client",
		[PKL_ENDS_SERVER] = "server", [PKL_ENDS_BOTH] = "both",
	};
	return names[ends];
}

/* When the 2*MSL of the (later) holder ends. */
static struct pkl_value
time_wait_until(const struct pkl_record *r)
{
	const struct pkl_tcp_record *t = &rec(r)->tcp;
	int later = t->time_wait_until[PKL_CLIENT].sec > t->time_wait_until[PKL_SERVER].sec
		    ? PKL_CLIENT : PKL_SERVER;

	return pkl_value_time_or_null(t->time_wait_held_by, t->time_wait_until[later]);
}

/* The text tells the client's end of TIME_WAIT when it holds it. */
static struct pkl_value
time_wait_end_told(const struct pkl_record *r)
{
	const struct pkl_tcp_record *t = &rec(r)->tcp;
	int e = t->time_wait_held_by & PKL_ENDS_CLIENT ? PKL_CLIENT : PKL_SERVER;

	return pkl_value_time_or_null(t->time_wait_held_by, t->time_wait_until[e]);
}

/* In the order of the JSON keys; .at is the place in the text. */
static const struct pkl_field tcp_field[] = {
	ID_FIELD("conn #"),
	{ PKL_FIELD_KEY("proto"), LABEL("tcp", "TCP"), .at = 2, .before = "  " },
	{ PKL_FIELD_KEY("client"), VALUE(PKL_VAL_ENDPOINT, client.endpoint), .at = 3,
	  .before = "  client " },
	{ PKL_FIELD_KEY("server"), VALUE(PKL_VAL_ENDPOINT, server.endpoint), .at = 4,
	  .before = " -> server " },
	SERVICE_FIELD(5),
	{ PKL_FIELD_KEY("roles_inferred"), VALUE(PKL_VAL_BOOL, tcp.roles_inferred), .at = 6,
	  .flags = PKL_FIELD_SENTENCE, .before = "  [handshake not seen: roles inferred]" },
	SPAN_FIELDS(7),
	{ PKL_FIELD_KEY("handshake_frames"), .type = PKL_VAL_LIST, .count = 3,
	  PKL_KNOWN(struct pkl_conn_record, tcp.handshake_seen),
	  PKL_ITEMS(struct pkl_conn_record, tcp.handshake_frames), .item = &frame_number,
	  .at = 15, .before = "\n  handshake: frames ", .sep = ", ",
	  .null_text = "\n  handshake: not seen complete" },
	{ PKL_FIELD_KEY("handshake_rtt_ms"), VALUE(PKL_VAL_MS, tcp.handshake_rtt_us),
	  PKL_KNOWN(struct pkl_conn_record, tcp.handshake_seen), .at = 16, .before = ", RTT ",
	  .after = " ms" },
	{ PKL_FIELD_KEY("close"), VALUE(PKL_VAL_NAME, tcp.close), .name = close_name, .at = 17,
	  .before = "\n  close: " },
	{ PKL_FIELD_KEY("fin_frames"), VALUE(PKL_VAL_LIST, tcp.fins),
	  PKL_ITEMS(struct pkl_conn_record, tcp.fin_frames), .item = &frame_number },
	{ PKL_FIELD_KEY("client_state"), VALUE(PKL_VAL_NAME, tcp.client_state),
	  .name = state_name, .at = 18, .before = ";  final states: client " },
	{ PKL_FIELD_KEY("server_state"), VALUE(PKL_VAL_NAME, tcp.server_state),
	  .name = state_name, .at = 19, .before = ", server " },
	{ PKL_FIELD_KEY("time_wait"), VALUE(PKL_VAL_NAME, tcp.time_wait_held_by),
	  .name = ends_name, .at = 20, .before = ";  TIME_WAIT held by " },
	{ PKL_FIELD_KEY("time_wait_until"), .get = time_wait_until },
	{ .get = time_wait_end_told, .at = 21, .before = " until ", .after = " s" },
	{ PKL_FIELD_KEY("close_wait"), VALUE(PKL_VAL_NAME, tcp.close_wait_left_in),
	  .name = ends_name, .at = 22, .flags = PKL_FIELD_SENTENCE,
	  .before = "\n  ! an end is still in CLOSE_WAIT: its application got end of stream but never closed (a likely bug)" },
	{ PKL_FIELD_KEY("retransmissions"), VALUE(PKL_VAL_U64, tcp.retransmissions), .at = 26,
	  .before = "\n  analysis: ", .after = " retransmissions" },
	{ PKL_FIELD_KEY("dup_acks"), VALUE(PKL_VAL_U64, tcp.dup_acks), .at = 27, .before = ", ",
	  .after = " duplicate ACKs" },
	{ PKL_FIELD_KEY("out_of_order"), VALUE(PKL_VAL_U64, tcp.out_of_order), .at = 28,
	  .before = ", ", .after = " out-of-order" },
	{ PKL_FIELD_KEY("zero_windows"), VALUE(PKL_VAL_U64, tcp.zero_windows), .at = 29,
	  .before = ", ", .after = " zero windows" },
	{ PKL_FIELD_KEY("coalesced_segments"), VALUE(PKL_VAL_U64, tcp.coalesced), .at = 23,
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ! ",
	  .after = " segment(s) carried small writes sent together (Nagle), first frame " },
	{ VALUE(PKL_VAL_U64, tcp.first_coalesced), .at = 24, .flags = PKL_FIELD_NONZERO,
	  .after = ": TCP is a byte stream, so an application must mark its messages (a length prefix)" },
	{ PKL_FIELD_KEY("ttl_changes"), VALUE(PKL_VAL_U64, tcp.ttl_changes), .at = 25,
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ! the TTL changed ",
	  .after = " time(s) within the connection: a route change, or forged packets" },
	{ PKL_FIELD_KEY("frames_c2s"), VALUE(PKL_VAL_U64, client.frames), .at = 11,
	  .before = ";  client -> server ", .after = " frames " },
	{ PKL_FIELD_KEY("frames_s2c"), VALUE(PKL_VAL_U64, server.frames), .at = 13,
	  .before = ";  server -> client ", .after = " frames " },
	{ PKL_FIELD_KEY("bytes_c2s"), VALUE(PKL_VAL_U64, client.bytes), .at = 12,
	  .after = " bytes" },
	{ PKL_FIELD_KEY("bytes_s2c"), VALUE(PKL_VAL_U64, server.bytes), .at = 14,
	  .after = " bytes" },
	ICMP_ERROR_FIELDS(30),
	LEFT_TABLE_FIELD(32),
};

/* ---- UDP ------------------------------------------------------------------- */

static const struct pkl_field udp_field[] = {
	ID_FIELD("udp #"),
	{ PKL_FIELD_KEY("proto"), LABEL("udp", "UDP"), .at = 2, .before = "  " },
	{ PKL_FIELD_KEY("client"), VALUE(PKL_VAL_ENDPOINT, client.endpoint), .at = 3,
	  .before = "  client " },
	{ PKL_FIELD_KEY("server"), VALUE(PKL_VAL_ENDPOINT, server.endpoint), .at = 4,
	  .before = " -> server " },
	SERVICE_FIELD(5),
	SPAN_FIELDS(6),
	{ PKL_FIELD_KEY("frames_c2s"), VALUE(PKL_VAL_U64, client.frames), .at = 10,
	  .before = ";  client -> server ", .after_one = " datagram ", .after = " datagrams " },
	{ PKL_FIELD_KEY("frames_s2c"), VALUE(PKL_VAL_U64, server.frames), .at = 12,
	  .before = ";  server -> client ", .after_one = " datagram ", .after = " datagrams " },
	{ PKL_FIELD_KEY("bytes_c2s"), VALUE(PKL_VAL_U64, client.bytes), .at = 11,
	  .after_one = " byte", .after = " bytes" },
	{ PKL_FIELD_KEY("bytes_s2c"), VALUE(PKL_VAL_U64, server.bytes), .at = 13,
	  .after_one = " byte", .after = " bytes" },
	ICMP_ERROR_FIELDS(14),
	LEFT_TABLE_FIELD(16),
};

/* ---- ICMP echo sessions ----------------------------------------------------- */

static struct pkl_value
echo_proto(const struct pkl_record *r)
{
	if (rec(r)->client.endpoint.family == 4)
		return pkl_value_label("icmp", "ICMP echo");
	return pkl_value_label("icmpv6", "ICMPv6 echo");
}

#define LOST_VALUE(value_type, member) .type = (value_type), PKL_AT(struct pkl_echo_ref, member)

static const struct pkl_field lost_field[] = {
	{ PKL_FIELD_KEY("lost_seqs"), LOST_VALUE(PKL_VAL_U64, seq), .at = 1, .before = "seq " },
	{ PKL_FIELD_KEY("lost_frames"), LOST_VALUE(PKL_VAL_U64, frame), .at = 2,
	  .before = " (frame ", .after = ")" },
};
static struct pkl_fields lost_fields = PKL_FIELDS(lost_field);

/* Round trips, in milliseconds, when a reply was timed. */
#define RTT_FIELD(name, member, place, text_before)                                      \
	{ PKL_FIELD_KEY(name), VALUE(PKL_VAL_MS, member),                                \
	  PKL_KNOWN(struct pkl_conn_record, echo.answered), .at = (place),               \
	  .before = (text_before), .after = " ms" }

static const struct pkl_field echo_field[] = {
	ID_FIELD("ping #"),
	{ PKL_FIELD_KEY("proto"), .get = echo_proto, .at = 2, .before = "  " },
	{ PKL_FIELD_KEY("client"), VALUE(PKL_VAL_ADDRESS, client.endpoint), .at = 3,
	  .before = "  client " },
	{ PKL_FIELD_KEY("server"), VALUE(PKL_VAL_ADDRESS, server.endpoint), .at = 4,
	  .before = " -> server " },
	{ PKL_FIELD_KEY("icmp_id"), VALUE(PKL_VAL_U64, echo.icmp_id), .at = 5, .before = "  id " },
	SPAN_FIELDS(6),
	{ PKL_FIELD_KEY("requests"), VALUE(PKL_VAL_U64, echo.requests), .at = 10,
	  .before = ";  ", .after_one = " request, ", .after = " requests, " },
	{ PKL_FIELD_KEY("replies"), VALUE(PKL_VAL_U64, echo.replies), .at = 11,
	  .after_one = " reply", .after = " replies" },
	{ PKL_FIELD_KEY("lost"), VALUE(PKL_VAL_U64, echo.lost), .at = 15,
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ! ", .after_one = " request never answered:",
	  .after = " requests never answered:" },
	{ VALUE(PKL_VAL_LIST, echo.lost_listed), PKL_TOTAL(struct pkl_conn_record, echo.lost),
	  PKL_ITEMS(struct pkl_conn_record, echo.lost_requests), .fields = &lost_fields,
	  .at = 16, .flags = PKL_FIELD_COLUMNS | PKL_FIELD_NONZERO, .before = " ", .sep = ", ",
	  .more = ", ..." },
	{ PKL_FIELD_KEY("duplicates"), VALUE(PKL_VAL_U64, echo.duplicates), .at = 17,
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ! ", .after_one = " duplicate reply",
	  .after = " duplicate replies" },
	{ PKL_FIELD_KEY("unmatched_replies"), VALUE(PKL_VAL_U64, echo.unmatched), .at = 18,
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ", .after_one = " reply to no request seen",
	  .after = " replies to no request seen" },
	RTT_FIELD("rtt_min_ms", echo.rtt_min_us, 12, "\n  round trip: min "),
	RTT_FIELD("rtt_avg_ms", echo.rtt_avg_us, 13, ", avg "),
	RTT_FIELD("rtt_max_ms", echo.rtt_max_us, 14, ", max "),
	ICMP_ERROR_FIELDS(19),
	LEFT_TABLE_FIELD(21),
};

/* ---- ARP exchanges ----------------------------------------------------------- */

static const struct pkl_arp_record *
arp(const struct pkl_record *r)
{
	return &rec(r)->arp;
}

static bool
asked(const struct pkl_record *r)
{
	return arp(r)->kind == PKL_ARPX_REQUEST || arp(r)->kind == PKL_ARPX_PROBE;
}

static bool
answered(const struct pkl_record *r)
{
	return asked(r) && arp(r)->answered;
}

static bool
answered_probe(const struct pkl_record *r)
{
	return answered(r) && arp(r)->kind == PKL_ARPX_PROBE;
}

static bool
answered_by_many(const struct pkl_record *r)
{
	return answered(r) && arp(r)->answer_macs > 1;
}

static bool
unanswered_probe(const struct pkl_record *r)
{
	return asked(r) && !arp(r)->answered && arp(r)->kind == PKL_ARPX_PROBE;
}

static bool
unanswered_request(const struct pkl_record *r)
{
	return asked(r) && !arp(r)->answered && arp(r)->kind == PKL_ARPX_REQUEST;
}

static const char *
arp_kind_name(uint64_t kind)
{
	static const char *const names[] = {
		[PKL_ARPX_REQUEST] = "request", [PKL_ARPX_PROBE] = "probe",
		[PKL_ARPX_GRATUITOUS] = "gratuitous", [PKL_ARPX_UNSOLICITED] = "unsolicited",
	};
	return names[kind];
}

static void
text_address(struct pkl_out *o, const struct pkl_endpoint *e)
{
	if (e->family == 4)
		pkl_out_ipv4(o, e->addr);
	else
		pkl_out_ipv6(o, e->addr);
}

/* What was asked or told, as the kind says it. */
static void
arp_headline(struct pkl_out *o, const struct pkl_record *r)
{
	const struct pkl_arp_record *x = arp(r);
	const struct pkl_endpoint *client = &rec(r)->client.endpoint;
	const struct pkl_endpoint *server = &rec(r)->server.endpoint;

	switch ((enum pkl_arp_exchange_kind)x->kind) {
	case PKL_ARPX_REQUEST:
		pkl_out_str(o, "  who-has ");
		text_address(o, server);
		pkl_out_str(o, "? asked by ");
		text_address(o, client);
		pkl_out_str(o, " (");
		pkl_out_mac(o, x->asker_mac);
		pkl_out_char(o, ')');
		break;
	case PKL_ARPX_PROBE:
		pkl_out_str(o, "  probe: is ");
		text_address(o, server);
		pkl_out_str(o, " in use? asked by ");
		pkl_out_mac(o, x->asker_mac);
		break;
	case PKL_ARPX_GRATUITOUS:
		pkl_out_str(o, "  gratuitous: ");
		text_address(o, client);
		pkl_out_str(o, " announced by ");
		pkl_out_mac(o, x->asker_mac);
		break;
	case PKL_ARPX_UNSOLICITED:
		pkl_out_str(o, "  unsolicited reply: ");
		text_address(o, server);
		pkl_out_str(o, " is-at ");
		pkl_out_mac(o, x->answer_mac[0]);
		pkl_out_str(o, ", told to ");
		text_address(o, client);
		pkl_out_str(o, " (");
		pkl_out_mac(o, x->asker_mac);
		pkl_out_char(o, ')');
		break;
	}
}

static const struct pkl_field arp_field[] = {
	ID_FIELD("arp #"),
	{ PKL_FIELD_KEY("proto"), LABEL("arp", NULL) },
	{ PKL_FIELD_KEY("kind"), VALUE(PKL_VAL_NAME, arp.kind), .name = arp_kind_name },
	{ .text = arp_headline, .at = 2 },
	{ PKL_FIELD_KEY("client"), VALUE(PKL_VAL_ADDRESS, client.endpoint) },
	{ PKL_FIELD_KEY("client_mac"), VALUE(PKL_VAL_MAC, arp.asker_mac) },
	{ PKL_FIELD_KEY("server"), VALUE(PKL_VAL_ADDRESS, server.endpoint) },
	{ PKL_FIELD_KEY("server_macs"), VALUE(PKL_VAL_LIST, arp.answer_macs),
	  PKL_ITEMS(struct pkl_conn_record, arp.answer_mac), .item = &mac, .at = 9,
	  .shown = answered, .before = "\n  answer: ", .sep = " and " },
	{ VALUE(PKL_VAL_U64, arp.answer_frames[1]), .at = 10, .shown = answered,
	  .before = " in frame " },
	{ VALUE(PKL_VAL_U64, arp.answer_frames[0]), .at = 11, .shown = answered,
	  .before = " to the request of frame " },
	SPAN_FIELDS(3),
	{ PKL_FIELD_KEY("requests"), VALUE(PKL_VAL_U64, arp.requests), .at = 7, .before = ";  ",
	  .after_one = " request, ", .after = " requests, " },
	{ PKL_FIELD_KEY("replies"), VALUE(PKL_VAL_U64, arp.replies), .at = 8,
	  .after_one = " reply", .after = " replies" },
	{ PKL_FIELD_KEY("answer_frames"), .type = PKL_VAL_LIST, .count = 2,
	  PKL_KNOWN(struct pkl_conn_record, arp.answered),
	  PKL_ITEMS(struct pkl_conn_record, arp.answer_frames), .item = &frame_number },
	{ PKL_FIELD_KEY("answer_ms"), VALUE(PKL_VAL_MS, arp.answer_us),
	  PKL_KNOWN(struct pkl_conn_record, arp.answered), .at = 12, .shown = answered,
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

#define CLAIM_VALUE(value_type, member) \
	.type = (value_type), PKL_AT(struct pkl_arp_claim, member)

static const struct pkl_field claim_field[] = {
	{ PKL_FIELD_KEY("mac"), CLAIM_VALUE(PKL_VAL_MAC, mac), .at = 1, .before = "\n  ",
	  .after = ": " },
	{ PKL_FIELD_KEY("claims"), CLAIM_VALUE(PKL_VAL_U64, claims), .at = 2,
	  .after_one = " claim, frame", .after = " claims, frames" },
	{ PKL_FIELD_KEY("frames"), CLAIM_VALUE(PKL_VAL_LIST, frames_listed),
	  PKL_TOTAL(struct pkl_arp_claim, claims), PKL_ITEMS(struct pkl_arp_claim, frames),
	  .item = &frame_number, .at = 3, .flags = PKL_FIELD_NONZERO, .before = " ",
	  .sep = ", ", .more = ", ..." },
};
static struct pkl_fields claim_fields = PKL_FIELDS(claim_field);

static const struct pkl_field conflict_field[] = {
	ID_FIELD("arp #"),
	{ PKL_FIELD_KEY("proto"), LABEL("arp", NULL) },
	{ PKL_FIELD_KEY("kind"), LABEL("conflict", NULL) },
	{ PKL_FIELD_KEY("ip"), VALUE(PKL_VAL_ADDRESS, client.endpoint), .at = 2,
	  .before = "  ! conflict: " },
	{ VALUE(PKL_VAL_U64, binding.macs), .at = 3, .before = " claimed by ", .after_one = " MAC",
	  .after = " MACs" },
	{ VALUE(PKL_VAL_U64, binding.other_claims), .at = 4, .flags = PKL_FIELD_SENTENCE,
	  .before = " and more" },
	{ PKL_FIELD_KEY("macs"), VALUE(PKL_VAL_LIST, binding.macs),
	  PKL_ITEMS(struct pkl_conn_record, binding.claim), .fields = &claim_fields, .at = 9 },
	{ PKL_FIELD_KEY("other_claims"), VALUE(PKL_VAL_U64, binding.other_claims), .at = 10,
	  .flags = PKL_FIELD_NONZERO, .before = "\n  ", .after_one = " claim by further MACs",
	  .after = " claims by further MACs" },
	SPAN_FIELDS(5),
	{ .at = 11,
	  .before = "\n  ! two hosts configured with one address, or one impersonating the other (ARP spoofing)" },
	LEFT_TABLE_FIELD(12),
};

void
pkl_render_conn(void *view, const struct pkl_conn_record *c)
{
	/* Not const: each keeps its plans once worked out. */
	static struct pkl_fields fields[PKL_KIND_COUNT] = {
		[PKL_KIND_TCP] = PKL_FIELDS(tcp_field),
		[PKL_KIND_UDP] = PKL_FIELDS(udp_field),
		[PKL_KIND_ECHO] = PKL_FIELDS(echo_field),
		[PKL_KIND_ARP] = PKL_FIELDS(arp_field),
		[PKL_KIND_ARP_BINDING] = PKL_FIELDS(conflict_field),
	};
	struct pkl_conns_view *v = view;
	const struct pkl_record r = { .subject = c, .clock = v->clock };

	/* An address one MAC claimed is no news: only conflicts are. */
	if (c->kind == PKL_KIND_ARP_BINDING && c->binding.macs < 2)
		return;
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
