/* `pktlens conns`: one record per conversation, text or NDJSON.  Each
 * kind (TCP, UDP, echo, ARP, ARP conflict) is one field list below,
 * which gives both its JSON keys and its sentences (record.h), read
 * from the record the tracker hands over (conn_record.h). */
#include "render_conns.h"

#include <stdlib.h>
#include <string.h>

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

#define ID_FIELD(FIELD, tag) FIELD(1, PKL_FIELD_KEY("id"), VALUE(PKL_VAL_U64, id), .before = (tag))

#define SERVICE_FIELD(FIELD, place)                                                     \
	FIELD((place), VALUE(PKL_VAL_NAME, server.endpoint.port), .name = service_name,  \
	      .before = " (", .after = ")")

/* First and last frame and their times, from text place `place` on. */
#define SPAN_FIELDS(FIELD, place)                                                       \
	FIELD((place), PKL_FIELD_KEY("first_frame"), VALUE(PKL_VAL_U64, first_frame),    \
	      .before = "\n  frames ")                                                   \
	FIELD((place) + 1, PKL_FIELD_KEY("last_frame"), VALUE(PKL_VAL_U64, last_frame),  \
	      .before = "..")                                                            \
	FIELD((place) + 2, PKL_FIELD_KEY("first_time"), VALUE(PKL_VAL_TIME, first_time), \
	      .before = ", time ")                                                       \
	FIELD((place) + 3, PKL_FIELD_KEY("last_time"), VALUE(PKL_VAL_TIME, last_time),   \
	      .before = " .. ", .after = " s")

/* Why the record left the table; the text only tells an eviction. */
#define LEFT_TABLE_FIELD(FIELD, place)                                                  \
	FIELD((place), PKL_FIELD_KEY("left_table"), VALUE(PKL_VAL_NAME, left),           \
	      .name = left_name, .shown = evicted, .flags = PKL_FIELD_SENTENCE,          \
	      .before = "\n  ! evicted from the full table: later frames count as a new conversation")

/* ---- the ICMP errors that quote a conversation ---------------------------- */

/* A value of one error, at its place. */
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

#define ERROR_FIELDS(FIELD, JSON_ONLY)                                             \
	FIELD(1, PKL_FIELD_KEY("frame"), ERROR_VALUE(PKL_VAL_U64, frame), .before = "frame ") \
	JSON_ONLY(PKL_FIELD_KEY("type"), ERROR_VALUE(PKL_VAL_U64, type))                 \
	JSON_ONLY(PKL_FIELD_KEY("code"), ERROR_VALUE(PKL_VAL_U64, code))                 \
	FIELD(2, .text = error_kind)                                                     \
	FIELD(4, PKL_FIELD_KEY("quoted_frame"), .get = error_quoted_frame,               \
	      .before = ", quoting frame ")                                              \
	FIELD(3, PKL_FIELD_KEY("mtu"), .get = error_mtu, .before = ", next-hop MTU ")
PKL_RECORD_TEXT(error, ERROR_FIELDS, 4)
PKL_RECORD_JSON(error, ERROR_FIELDS)

#define ICMP_ERRORS_FIELDS(FIELD, place)                                                \
	FIELD((place) + 1, PKL_FIELD_KEY("icmp_errors"),                                 \
	      VALUE(PKL_VAL_LIST, icmp_errors_listed),                                   \
	      PKL_TOTAL(struct pkl_conn_record, icmp_error_count),                       \
	      PKL_ITEMS(struct pkl_conn_record, icmp_error),                             \
	      .element_text = error_text, .element_json = error_json,          \
	      .flags = PKL_FIELD_NONZERO, .before = ": ", .sep = "; ", .more = "; ...")   \
	FIELD((place), PKL_FIELD_KEY("icmp_error_count"), VALUE(PKL_VAL_U64, icmp_error_count), \
	      .flags = PKL_FIELD_NONZERO, .before = "\n  ",                              \
	      .after_one = " ICMP error quotes it", .after = " ICMP errors quote it")

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

/* Where the capture was taken, from the handshake; none without one. */
static const char *
capture_point_name(uint64_t p)
{
	return p == PKL_CAPTURE_UNKNOWN ? NULL : pkl_capture_point_name((enum pkl_capture_point)p);
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

/* A list of frame numbers. */
#define FRAMES(member) \
	PKL_ITEMS(struct pkl_conn_record, member), .item = PKL_VAL_U64

/* In the order of the JSON keys, each with its place in the text. */
#define TCP_FIELDS(FIELD, JSON_ONLY)                                                    \
	ID_FIELD(FIELD, "conn #")                                                        \
	FIELD(2, PKL_FIELD_KEY("proto"), LABEL("tcp", "TCP"), .before = "  ")            \
	FIELD(3, PKL_FIELD_KEY("client"), VALUE(PKL_VAL_ENDPOINT, client.endpoint),      \
	      .before = "  client ")                                                     \
	FIELD(4, PKL_FIELD_KEY("server"), VALUE(PKL_VAL_ENDPOINT, server.endpoint),      \
	      .before = " -> server ")                                                   \
	SERVICE_FIELD(FIELD, 5)                                                          \
	FIELD(6, PKL_FIELD_KEY("roles_inferred"), VALUE(PKL_VAL_BOOL, tcp.roles_inferred), \
	      .flags = PKL_FIELD_SENTENCE, .before = "  [handshake not seen: roles inferred]") \
	SPAN_FIELDS(FIELD, 7)                                                            \
	FIELD(15, PKL_FIELD_KEY("handshake_frames"), .type = PKL_VAL_LIST, .count = 3,   \
	      PKL_KNOWN(struct pkl_conn_record, tcp.handshake_seen),                     \
	      FRAMES(tcp.handshake_frames), .before = "\n  handshake: frames ", .sep = ", ", \
	      .null_text = "\n  handshake: not seen complete")                           \
	FIELD(16, PKL_FIELD_KEY("handshake_rtt_ms"), VALUE(PKL_VAL_MS, tcp.handshake_rtt_us), \
	      PKL_KNOWN(struct pkl_conn_record, tcp.handshake_seen), .before = ", RTT ",  \
	      .after = " ms")                                                            \
	FIELD(17, PKL_FIELD_KEY("capture_point"), VALUE(PKL_VAL_NAME, tcp.capture_point), \
	      .name = capture_point_name, .before = ", captured at the ")                \
	FIELD(18, PKL_FIELD_KEY("close"), VALUE(PKL_VAL_NAME, tcp.close), .name = close_name, \
	      .before = "\n  close: ")                                                   \
	JSON_ONLY(PKL_FIELD_KEY("fin_frames"), VALUE(PKL_VAL_LIST, tcp.fins),            \
		  FRAMES(tcp.fin_frames))                                                \
	FIELD(19, PKL_FIELD_KEY("client_state"), VALUE(PKL_VAL_NAME, tcp.client_state),  \
	      .name = state_name, .before = ";  final states: client ")                  \
	FIELD(20, PKL_FIELD_KEY("server_state"), VALUE(PKL_VAL_NAME, tcp.server_state),  \
	      .name = state_name, .before = ", server ")                                 \
	FIELD(21, PKL_FIELD_KEY("time_wait"), VALUE(PKL_VAL_NAME, tcp.time_wait_held_by), \
	      .name = ends_name, .before = ";  TIME_WAIT held by ")                       \
	JSON_ONLY(PKL_FIELD_KEY("time_wait_until"), .get = time_wait_until)              \
	FIELD(22, .get = time_wait_end_told, .before = " until ", .after = " s")         \
	FIELD(23, PKL_FIELD_KEY("close_wait"), VALUE(PKL_VAL_NAME, tcp.close_wait_left_in), \
	      .name = ends_name, .flags = PKL_FIELD_SENTENCE,                            \
	      .before = "\n  ! an end is still in CLOSE_WAIT: its application got end of stream but never closed (a likely bug)") \
	FIELD(27, PKL_FIELD_KEY("retransmissions"), VALUE(PKL_VAL_U64, tcp.retransmissions), \
	      .before = "\n  analysis: ", .after = " retransmissions")                   \
	FIELD(28, PKL_FIELD_KEY("dup_acks"), VALUE(PKL_VAL_U64, tcp.dup_acks), .before = ", ", \
	      .after = " duplicate ACKs")                                                \
	FIELD(29, PKL_FIELD_KEY("out_of_order"), VALUE(PKL_VAL_U64, tcp.out_of_order),   \
	      .before = ", ", .after = " out-of-order")                                  \
	FIELD(30, PKL_FIELD_KEY("zero_windows"), VALUE(PKL_VAL_U64, tcp.zero_windows),   \
	      .before = ", ", .after = " zero windows")                                  \
	FIELD(31, PKL_FIELD_KEY("zero_window_probes"), VALUE(PKL_VAL_U64, tcp.zero_window_probes), \
	      .before = ", ", .after = " zero-window probes")                            \
	FIELD(32, PKL_FIELD_KEY("keep_alives"), VALUE(PKL_VAL_U64, tcp.keep_alives),     \
	      .before = ", ", .after = " keep-alives")                                   \
	FIELD(24, PKL_FIELD_KEY("coalesced_segments"), VALUE(PKL_VAL_U64, tcp.coalesced), \
	      .flags = PKL_FIELD_NONZERO, .before = "\n  ! ",                            \
	      .after = " segment(s) carried small writes sent together (Nagle), first frame ") \
	FIELD(25, VALUE(PKL_VAL_U64, tcp.first_coalesced), .flags = PKL_FIELD_NONZERO,   \
	      .after = ": TCP is a byte stream, so an application must mark its messages (a length prefix)") \
	FIELD(26, PKL_FIELD_KEY("ttl_changes"), VALUE(PKL_VAL_U64, tcp.ttl_changes),     \
	      .flags = PKL_FIELD_NONZERO, .before = "\n  ! the TTL changed ",            \
	      .after = " time(s) within the connection: a route change, or forged packets") \
	FIELD(11, PKL_FIELD_KEY("frames_c2s"), VALUE(PKL_VAL_U64, client.frames),        \
	      .before = ";  client -> server ", .after = " frames ")                     \
	FIELD(13, PKL_FIELD_KEY("frames_s2c"), VALUE(PKL_VAL_U64, server.frames),        \
	      .before = ";  server -> client ", .after = " frames ")                     \
	FIELD(12, PKL_FIELD_KEY("bytes_c2s"), VALUE(PKL_VAL_U64, client.bytes), .after = " bytes") \
	FIELD(14, PKL_FIELD_KEY("bytes_s2c"), VALUE(PKL_VAL_U64, server.bytes), .after = " bytes") \
	ICMP_ERRORS_FIELDS(FIELD, 33)                                                    \
	LEFT_TABLE_FIELD(FIELD, 35)
PKL_RECORD_TEXT(tcp, TCP_FIELDS, 35)
PKL_RECORD_JSON(tcp, TCP_FIELDS)

/* ---- UDP ------------------------------------------------------------------- */

#define UDP_FIELDS(FIELD, JSON_ONLY)                                                    \
	ID_FIELD(FIELD, "udp #")                                                         \
	FIELD(2, PKL_FIELD_KEY("proto"), LABEL("udp", "UDP"), .before = "  ")            \
	FIELD(3, PKL_FIELD_KEY("client"), VALUE(PKL_VAL_ENDPOINT, client.endpoint),      \
	      .before = "  client ")                                                     \
	FIELD(4, PKL_FIELD_KEY("server"), VALUE(PKL_VAL_ENDPOINT, server.endpoint),      \
	      .before = " -> server ")                                                   \
	SERVICE_FIELD(FIELD, 5)                                                          \
	SPAN_FIELDS(FIELD, 6)                                                            \
	FIELD(10, PKL_FIELD_KEY("frames_c2s"), VALUE(PKL_VAL_U64, client.frames),        \
	      .before = ";  client -> server ", .after_one = " datagram ", .after = " datagrams ") \
	FIELD(12, PKL_FIELD_KEY("frames_s2c"), VALUE(PKL_VAL_U64, server.frames),        \
	      .before = ";  server -> client ", .after_one = " datagram ", .after = " datagrams ") \
	FIELD(11, PKL_FIELD_KEY("bytes_c2s"), VALUE(PKL_VAL_U64, client.bytes),          \
	      .after_one = " byte", .after = " bytes")                                   \
	FIELD(13, PKL_FIELD_KEY("bytes_s2c"), VALUE(PKL_VAL_U64, server.bytes),          \
	      .after_one = " byte", .after = " bytes")                                   \
	ICMP_ERRORS_FIELDS(FIELD, 14)                                                    \
	LEFT_TABLE_FIELD(FIELD, 16)
PKL_RECORD_TEXT(udp, UDP_FIELDS, 16)
PKL_RECORD_JSON(udp, UDP_FIELDS)

/* ---- ICMP echo sessions ----------------------------------------------------- */

static struct pkl_value
echo_proto(const struct pkl_record *r)
{
	if (rec(r)->client.endpoint.family == 4)
		return pkl_value_label("icmp", "ICMP echo");
	return pkl_value_label("icmpv6", "ICMPv6 echo");
}

#define LOST_VALUE(value_type, member) .type = (value_type), PKL_AT(struct pkl_echo_ref, member)

#define LOST_FIELDS(FIELD, JSON_ONLY)                                                   \
	FIELD(1, PKL_FIELD_KEY("lost_seqs"), LOST_VALUE(PKL_VAL_U64, seq), .before = "seq ") \
	FIELD(2, PKL_FIELD_KEY("lost_frames"), LOST_VALUE(PKL_VAL_U64, frame),           \
	      .before = " (frame ", .after = ")")
PKL_RECORD_TEXT(lost, LOST_FIELDS, 2)
PKL_RECORD_COLUMNS(lost, LOST_FIELDS)

/* Round trips, in milliseconds, when a reply was timed. */
#define RTT_FIELD(FIELD, place, name, member, text_before)                              \
	FIELD((place), PKL_FIELD_KEY(name), VALUE(PKL_VAL_MS, member),                   \
	      PKL_KNOWN(struct pkl_conn_record, echo.answered), .before = (text_before), \
	      .after = " ms")

#define ECHO_FIELDS(FIELD, JSON_ONLY)                                                   \
	ID_FIELD(FIELD, "ping #")                                                        \
	FIELD(2, PKL_FIELD_KEY("proto"), .get = echo_proto, .before = "  ")              \
	FIELD(3, PKL_FIELD_KEY("client"), VALUE(PKL_VAL_ADDRESS, client.endpoint),       \
	      .before = "  client ")                                                     \
	FIELD(4, PKL_FIELD_KEY("server"), VALUE(PKL_VAL_ADDRESS, server.endpoint),       \
	      .before = " -> server ")                                                   \
	FIELD(5, PKL_FIELD_KEY("icmp_id"), VALUE(PKL_VAL_U64, echo.icmp_id), .before = "  id ") \
	SPAN_FIELDS(FIELD, 6)                                                            \
	FIELD(10, PKL_FIELD_KEY("requests"), VALUE(PKL_VAL_U64, echo.requests),          \
	      .before = ";  ", .after_one = " request, ", .after = " requests, ")        \
	FIELD(11, PKL_FIELD_KEY("replies"), VALUE(PKL_VAL_U64, echo.replies),            \
	      .after_one = " reply", .after = " replies")                                \
	FIELD(15, PKL_FIELD_KEY("lost"), VALUE(PKL_VAL_U64, echo.lost),                  \
	      .flags = PKL_FIELD_NONZERO, .before = "\n  ! ",                            \
	      .after_one = " request never answered:", .after = " requests never answered:") \
	FIELD(16, VALUE(PKL_VAL_LIST, echo.lost_listed),                                 \
	      PKL_TOTAL(struct pkl_conn_record, echo.lost),                              \
	      PKL_ITEMS(struct pkl_conn_record, echo.lost_requests),                     \
	      .element_text = lost_text, .element_columns = lost_columns,                \
	      .flags = PKL_FIELD_NONZERO, .before = " ", .sep = ", ", .more = ", ...")    \
	FIELD(17, PKL_FIELD_KEY("duplicates"), VALUE(PKL_VAL_U64, echo.duplicates),      \
	      .flags = PKL_FIELD_NONZERO, .before = "\n  ! ", .after_one = " duplicate reply", \
	      .after = " duplicate replies")                                             \
	FIELD(18, PKL_FIELD_KEY("unmatched_replies"), VALUE(PKL_VAL_U64, echo.unmatched), \
	      .flags = PKL_FIELD_NONZERO, .before = "\n  ",                              \
	      .after_one = " reply to no request seen", .after = " replies to no request seen") \
	RTT_FIELD(FIELD, 12, "rtt_min_ms", echo.rtt_min_us, "\n  round trip: min ")      \
	RTT_FIELD(FIELD, 13, "rtt_avg_ms", echo.rtt_avg_us, ", avg ")                    \
	RTT_FIELD(FIELD, 14, "rtt_max_ms", echo.rtt_max_us, ", max ")                    \
	ICMP_ERRORS_FIELDS(FIELD, 19)                                                    \
	LEFT_TABLE_FIELD(FIELD, 21)
PKL_RECORD_TEXT(echo, ECHO_FIELDS, 21)
PKL_RECORD_JSON(echo, ECHO_FIELDS)

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

#define ARP_FIELDS(FIELD, JSON_ONLY)                                                    \
	ID_FIELD(FIELD, "arp #")                                                         \
	JSON_ONLY(PKL_FIELD_KEY("proto"), LABEL("arp", NULL))                            \
	JSON_ONLY(PKL_FIELD_KEY("kind"), VALUE(PKL_VAL_NAME, arp.kind), .name = arp_kind_name) \
	FIELD(2, .text = arp_headline)                                                   \
	JSON_ONLY(PKL_FIELD_KEY("client"), VALUE(PKL_VAL_ADDRESS, client.endpoint))      \
	JSON_ONLY(PKL_FIELD_KEY("client_mac"), VALUE(PKL_VAL_MAC, arp.asker_mac))        \
	JSON_ONLY(PKL_FIELD_KEY("server"), VALUE(PKL_VAL_ADDRESS, server.endpoint))      \
	FIELD(9, PKL_FIELD_KEY("server_macs"), VALUE(PKL_VAL_LIST, arp.answer_macs),     \
	      PKL_ITEMS(struct pkl_conn_record, arp.answer_mac), .item = PKL_VAL_MAC,     \
	      .shown = answered, .before = "\n  answer: ", .sep = " and ")               \
	FIELD(10, VALUE(PKL_VAL_U64, arp.answer_frames[1]), .shown = answered,           \
	      .before = " in frame ")                                                    \
	FIELD(11, VALUE(PKL_VAL_U64, arp.answer_frames[0]), .shown = answered,           \
	      .before = " to the request of frame ")                                     \
	SPAN_FIELDS(FIELD, 3)                                                            \
	FIELD(7, PKL_FIELD_KEY("requests"), VALUE(PKL_VAL_U64, arp.requests), .before = ";  ", \
	      .after_one = " request, ", .after = " requests, ")                         \
	FIELD(8, PKL_FIELD_KEY("replies"), VALUE(PKL_VAL_U64, arp.replies),              \
	      .after_one = " reply", .after = " replies")                                \
	JSON_ONLY(PKL_FIELD_KEY("answer_frames"), .type = PKL_VAL_LIST, .count = 2,      \
		  PKL_KNOWN(struct pkl_conn_record, arp.answered), FRAMES(arp.answer_frames)) \
	FIELD(12, PKL_FIELD_KEY("answer_ms"), VALUE(PKL_VAL_MS, arp.answer_us),          \
	      PKL_KNOWN(struct pkl_conn_record, arp.answered), .shown = answered,        \
	      .before = ", after ", .after = " ms")                                      \
	FIELD(13, .shown = answered_probe,                                               \
	      .before = "\n  ! the probed address is taken: the prober must not use it")  \
	FIELD(14, .shown = answered_by_many,                                             \
	      .before = "\n  ! more than one MAC answered: an address conflict")         \
	FIELD(15, .shown = unanswered_probe, .before = "\n  no answer: nobody claimed the address") \
	FIELD(16, .shown = unanswered_request,                                           \
	      .before = "\n  ! no answer: the host is down or absent, or its replies were lost") \
	LEFT_TABLE_FIELD(FIELD, 17)
PKL_RECORD_TEXT(arp, ARP_FIELDS, 17)
PKL_RECORD_JSON(arp, ARP_FIELDS)

/* ---- ARP conflicts: one address, claimed by several MACs ------------------- */

#define CLAIM_VALUE(value_type, member) \
	.type = (value_type), PKL_AT(struct pkl_arp_claim, member)

#define CLAIM_FIELDS(FIELD, JSON_ONLY)                                                  \
	FIELD(1, PKL_FIELD_KEY("mac"), CLAIM_VALUE(PKL_VAL_MAC, mac), .before = "\n  ",  \
	      .after = ": ")                                                             \
	FIELD(2, PKL_FIELD_KEY("claims"), CLAIM_VALUE(PKL_VAL_U64, claims),              \
	      .after_one = " claim, frame", .after = " claims, frames")                  \
	FIELD(3, PKL_FIELD_KEY("frames"), CLAIM_VALUE(PKL_VAL_LIST, frames_listed),      \
	      PKL_TOTAL(struct pkl_arp_claim, claims), PKL_ITEMS(struct pkl_arp_claim, frames), \
	      .item = PKL_VAL_U64, .flags = PKL_FIELD_NONZERO, .before = " ", .sep = ", ", \
	      .more = ", ...")
PKL_RECORD_TEXT(claim, CLAIM_FIELDS, 3)
PKL_RECORD_JSON(claim, CLAIM_FIELDS)

#define CONFLICT_FIELDS(FIELD, JSON_ONLY)                                               \
	ID_FIELD(FIELD, "arp #")                                                         \
	JSON_ONLY(PKL_FIELD_KEY("proto"), LABEL("arp", NULL))                            \
	JSON_ONLY(PKL_FIELD_KEY("kind"), LABEL("conflict", NULL))                        \
	FIELD(2, PKL_FIELD_KEY("ip"), VALUE(PKL_VAL_ADDRESS, client.endpoint),           \
	      .before = "  ! conflict: ")                                                \
	FIELD(3, VALUE(PKL_VAL_U64, binding.macs), .before = " claimed by ",             \
	      .after_one = " MAC", .after = " MACs")                                     \
	FIELD(4, VALUE(PKL_VAL_U64, binding.other_claims), .flags = PKL_FIELD_SENTENCE,  \
	      .before = " and more")                                                     \
	FIELD(9, PKL_FIELD_KEY("macs"), VALUE(PKL_VAL_LIST, binding.macs),               \
	      PKL_ITEMS(struct pkl_conn_record, binding.claim),                          \
	      .element_text = claim_text, .element_json = claim_json)                    \
	FIELD(10, PKL_FIELD_KEY("other_claims"), VALUE(PKL_VAL_U64, binding.other_claims), \
	      .flags = PKL_FIELD_NONZERO, .before = "\n  ",                              \
	      .after_one = " claim by further MACs", .after = " claims by further MACs")  \
	SPAN_FIELDS(FIELD, 5)                                                            \
	FIELD(11, .before = "\n  ! two hosts configured with one address, or one impersonating the other (ARP spoofing)") \
	LEFT_TABLE_FIELD(FIELD, 12)
PKL_RECORD_TEXT(conflict, CONFLICT_FIELDS, 12)
PKL_RECORD_JSON(conflict, CONFLICT_FIELDS)

void
pkl_render_conn(void *view, const struct pkl_conn_record *c)
{
	static const struct {
		pkl_record_text_fn *text;
		pkl_record_json_fn *json;
	} writers[PKL_KIND_COUNT] = {
		[PKL_KIND_TCP] = { tcp_text, tcp_json },
		[PKL_KIND_UDP] = { udp_text, udp_json },
		[PKL_KIND_ECHO] = { echo_text, echo_json },
		[PKL_KIND_ARP] = { arp_text, arp_json },
		[PKL_KIND_ARP_BINDING] = { conflict_text, conflict_json },
	};
	struct pkl_conns_view *v = view;
	const struct pkl_record r = { .subject = c, .clock = v->clock };

	/* An address one MAC claimed is no news: only conflicts are. */
	if (c->kind == PKL_KIND_ARP_BINDING && c->binding.macs < 2)
		return;
	v->shown++;
	if (v->json) {
		struct pkl_json j;
		pkl_json_init(&j, v->out);
		pkl_json_object_open(&j);
		writers[c->kind].json(&j, &r);
		pkl_json_object_close(&j);
		pkl_out_char(v->out, '\n');
	} else {
		writers[c->kind].text(v->out, &r);
		pkl_out_str(v->out, "\n\n");
	}
}

/* ---- --table ---------------------------------------------------------------- */

struct table_row {
	struct pkl_endpoint client, server;
	uint64_t first_frame;
	struct pkl_time first_time, last_time;
	uint64_t frames[2], bytes[2];      /* [PKL_CLIENT]: what the client sent */
	uint8_t close, client_state, server_state;
};

/* Frames and bytes on the wire each end sent, by connection number. */
struct wire_count {
	uint64_t frames[2], bytes[2];
};

struct pkl_conns_table {
	struct table_row *rows;
	size_t n, cap;
	struct wire_count *wire;           /* [id]: ids count from 1 */
	size_t wire_cap;
	bool starved;                      /* a row or a count found no memory */
};

struct pkl_conns_table *
pkl_conns_table_new(void)
{
	return calloc(1, sizeof(struct pkl_conns_table));
}

void
pkl_conns_table_free(struct pkl_conns_table *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t->wire);
	free(t);
}

/* Room for n elements of size at *array, of *cap now, doubling. */
static bool
grow(void **array, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t want = *cap ? *cap : 256;
	while (want <= n)
		want *= 2;
	void *p = realloc(*array, want * size);
	if (!p)
		return false;
	memset((char *)p + *cap * size, 0, (want - *cap) * size);
	*array = p;
	*cap = want;
	return true;
}

void
pkl_conns_table_frame(void *table, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_conns_table *t = table;
	const struct pkl_conn_snapshot *c = &notes->conn;

	if (!c->valid)
		return;
	if (!grow((void **)&t->wire, &t->wire_cap, c->id, sizeof *t->wire)) {
		t->starved = true;
		return;
	}
	t->wire[c->id].frames[c->sender]++;
	t->wire[c->id].bytes[c->sender] += pkt->frame->len;
}

void
pkl_conns_table_conn(void *table, const struct pkl_conn_record *c)
{
	struct pkl_conns_table *t = table;

	if (c->kind != PKL_KIND_TCP)
		return;
	if (!grow((void **)&t->rows, &t->cap, t->n, sizeof *t->rows)) {
		t->starved = true;
		return;
	}
	struct table_row *r = &t->rows[t->n++];
	*r = (struct table_row){
		.client = c->client.endpoint, .server = c->server.endpoint,
		.first_frame = c->first_frame, .first_time = c->first_time,
		.last_time = c->last_time, .close = c->tcp.close,
		.client_state = c->tcp.client_state, .server_state = c->tcp.server_state,
	};
	if (c->id < t->wire_cap) {
		const struct wire_count *w = &t->wire[c->id];
		memcpy(r->frames, w->frames, sizeof r->frames);
		memcpy(r->bytes, w->bytes, sizeof r->bytes);
	}
}

uint64_t
pkl_conns_table_rows(const struct pkl_conns_table *t)
{
	return t->n;
}

static int
cmp_rows(const void *a, const void *b)
{
	const struct table_row *x = a, *y = b;

	return (x->first_frame > y->first_frame) - (x->first_frame < y->first_frame);
}

#define ENDPOINT_TEXT 64

static size_t
endpoint_text(const struct pkl_endpoint *e, char buf[ENDPOINT_TEXT])
{
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, ENDPOINT_TEXT);
	pkl_out_endpoint(&o, e->family, e->addr, e->port);
	return pkl_out_finish_fixed(&o);
}

/* text left-aligned in a column of width, then a space. */
static void
column_left(struct pkl_out *o, const char *text, size_t len, size_t width)
{
	pkl_out_mem(o, text, len);
	pkl_out_spaces(o, (unsigned)(len < width ? width - len : 0) + 1);
}

/* A time as seconds, right-aligned in a column of width. */
static void
column_time(struct pkl_out *o, const struct pkl_clock *clock, struct pkl_time t,
	    struct pkl_time from, bool relative, size_t width)
{
	char text[48];
	struct pkl_out b;

	pkl_out_init_fixed(&b, text, sizeof text);
	if (relative)
		pkl_render_time(&b, clock, t.sec, t.nsec);
	else
		pkl_time_since(&b, t.sec, t.nsec, from.sec, from.nsec);
	size_t len = pkl_out_finish_fixed(&b);
	pkl_out_spaces(o, (unsigned)(len < width ? width - len : 0));
	pkl_out_mem(o, text, len);
}

int
pkl_conns_table_print(struct pkl_conns_table *t, struct pkl_out *o, const struct pkl_clock *clock)
{
	char a[ENDPOINT_TEXT], b[ENDPOINT_TEXT];
	size_t wa = strlen("client"), wb = strlen("server");

	qsort(t->rows, t->n, sizeof *t->rows, cmp_rows);
	for (size_t i = 0; i < t->n; i++) {
		size_t la = endpoint_text(&t->rows[i].client, a), lb = endpoint_text(&t->rows[i].server, b);
		wa = la > wa ? la : wa;
		wb = lb > wb ? lb : wb;
	}
	/* As tshark -z conv,tcp: "<-" is what came to the left end (from
	 * the server), "->" what left it. */
	pkl_out_spaces(o, (unsigned)(wa + wb + 6));
	pkl_out_str(o, "|        <-         |        ->         |       Total       "
		    "|    Relative  Duration   |\n");
	column_left(o, "client", 6, wa);
	pkl_out_str(o, "<-> ");
	column_left(o, "server", 6, wb);
	pkl_out_str(o, "|  Frames     Bytes |  Frames     Bytes |  Frames     Bytes "
		    "|       Start             | Close              Client       Server\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct table_row *r = &t->rows[i];
		column_left(o, a, endpoint_text(&r->client, a), wa);
		pkl_out_str(o, "<-> ");
		column_left(o, b, endpoint_text(&r->server, b), wb);
		pkl_out_printf(o, "  %7llu %9llu   %7llu %9llu   %7llu %9llu   ",
			       (unsigned long long)r->frames[PKL_SERVER],
			       (unsigned long long)r->bytes[PKL_SERVER],
			       (unsigned long long)r->frames[PKL_CLIENT],
			       (unsigned long long)r->bytes[PKL_CLIENT],
			       (unsigned long long)(r->frames[0] + r->frames[1]),
			       (unsigned long long)(r->bytes[0] + r->bytes[1]));
		column_time(o, clock, r->first_time, r->first_time, true, 11);
		pkl_out_char(o, ' ');
		column_time(o, clock, r->last_time, r->first_time, false, 10);
		pkl_out_str(o, "    ");
		const char *close = pkl_conn_close_name((enum pkl_conn_close)r->close);
		column_left(o, close, strlen(close), 18);
		const char *cs = pkl_tcp_state_name((enum pkl_tcp_state)r->client_state);
		column_left(o, cs, strlen(cs), 12);
		pkl_out_str(o, pkl_tcp_state_name((enum pkl_tcp_state)r->server_state));
		pkl_out_char(o, '\n');
	}
	return t->starved ? -1 : 0;
}
