/* `pktlens conns`: one record per conversation, text or NDJSON. */
#include "render_conns.h"

#include "../dissectors/icmp.h"
#include "../dissectors/icmpv6.h"
#include "json.h"
#include "out.h"
#include "services.h"

static const char *const exit_names[] = {
	[PKL_CONN_EXPIRED] = "expired", [PKL_CONN_EVICTED] = "evicted",
	[PKL_CONN_REUSED] = "reused", [PKL_CONN_AT_END] = "end", [PKL_CONN_CLOSED] = "closed",
};

static void
address(struct pkl_out *o, const struct pkl_conn *c, int e)
{
	if (c->family == 4)
		pkl_out_ipv4(o, c->end[e].addr);
	else
		pkl_out_ipv6(o, c->end[e].addr);
}

static void
endpoint(struct pkl_out *o, const struct pkl_conn *c, int e)
{
	pkl_out_endpoint(o, c->family, c->end[e].addr, c->end[e].port);
}

static void
reltime(struct pkl_out *o, int64_t sec, uint32_t nsec, const struct pkl_conns_view *v)
{
	pkl_out_reltime(o, sec, nsec, v->clock->first_sec, v->clock->first_nsec);
}

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

/* The ICMP errors that quote a conversation, as JSON keys. */
static void
json_icmp_errors(struct pkl_json *j, const struct pkl_conn *c)
{
	PKL_JSON_KEY(j, "icmp_errors");
	pkl_json_array_open(j);
	for (uint32_t i = 0; i < c->icmp_errors && i < PKL_CONN_ICMP_ERRORS; i++) {
		const struct pkl_icmp_error_ref *e = &c->icmp_error[i];
		pkl_json_elem(j);
		pkl_json_object_open(j);
		PKL_JSON_KEY(j, "frame");
		pkl_json_u64(j, e->frame);
		PKL_JSON_KEY(j, "type");
		pkl_json_u64(j, e->type);
		PKL_JSON_KEY(j, "code");
		pkl_json_u64(j, e->code);
		PKL_JSON_KEY(j, "quoted_frame");
		if (e->quoted_frame)
			pkl_json_u64(j, e->quoted_frame);
		else
			pkl_json_null(j);
		PKL_JSON_KEY(j, "mtu");
		if (e->mtu)
			pkl_json_u64(j, e->mtu);
		else
			pkl_json_null(j);
		pkl_json_object_close(j);
	}
	pkl_json_array_close(j);
	PKL_JSON_KEY(j, "icmp_error_count");
	pkl_json_u64(j, c->icmp_errors);
}

/* yes or no, written by two calls rather than one of a ?: -- inline, each
 * copies a literal of known length, where pkl_out_str of a ?: calls
 * strlen and memcpy (GCC folds strlen of a ?: only when both strings are
 * as long). */
static inline void
str_if(struct pkl_out *o, bool cond, const char *yes, const char *no)
{
	if (cond)
		pkl_out_str(o, yes);
	else
		pkl_out_str(o, no);
}

static inline void
text_count(struct pkl_out *o, uint64_t n, const char *one, const char *many)
{
	pkl_out_u64(o, n);
	pkl_out_char(o, ' ');
	str_if(o, n == 1, one, many);
}

static void
text_icmp_errors(struct pkl_out *o, const struct pkl_conn *c)
{
	if (!c->icmp_errors)
		return;
	pkl_out_str(o, "\n  ");
	text_count(o, c->icmp_errors, "ICMP error quotes it", "ICMP errors quote it");
	for (uint32_t i = 0; i < c->icmp_errors && i < PKL_CONN_ICMP_ERRORS; i++) {
		const struct pkl_icmp_error_ref *e = &c->icmp_error[i];
		const char *type = c->family == 4 ? pkl_icmp_type_name(e->type)
						  : pkl_icmpv6_type_name(e->type);
		const char *code = c->family == 4 ? pkl_icmp_code_name(e->type, e->code) : NULL;
		pkl_out_str(o, i ? "; frame " : ": frame ");
		pkl_out_u64(o, e->frame);
		pkl_out_char(o, ' ');
		if (type) {
			pkl_out_str(o, type);
		} else {
			pkl_out_str(o, "type ");
			pkl_out_u64(o, e->type);
		}
		if (code) {
			pkl_out_str(o, " (");
			pkl_out_str(o, code);
			pkl_out_char(o, ')');
		} else if (e->code) {
			pkl_out_str(o, " code ");
			pkl_out_u64(o, e->code);
		}
		if (e->mtu) {
			pkl_out_str(o, ", next-hop MTU ");
			pkl_out_u64(o, e->mtu);
		}
		if (e->quoted_frame) {
			pkl_out_str(o, ", quoting frame ");
			pkl_out_u64(o, e->quoted_frame);
		}
	}
	if (c->icmp_errors > PKL_CONN_ICMP_ERRORS)
		pkl_out_str(o, "; ...");
}


static void
text_conn(struct pkl_out *o, const struct pkl_conn *c, enum pkl_conn_exit why,
	  const struct pkl_conns_view *v)
{
	const char *service = pkl_service_name(c->end[1].port);
	const char *tw = time_wait_holder(c);

	pkl_out_str(o, "conn #");
	pkl_out_u64(o, c->id);
	pkl_out_str(o, "  TCP  client ");
	endpoint(o, c, 0);
	pkl_out_str(o, " -> server ");
	endpoint(o, c, 1);
	if (service) {
		pkl_out_str(o, " (");
		pkl_out_str(o, service);
		pkl_out_char(o, ')');
	}
	if (c->roles_inferred)
		pkl_out_str(o, "  [handshake not seen: roles inferred]");
	pkl_out_str(o, "\n  frames ");
	pkl_out_u64(o, c->first_frame);
	pkl_out_str(o, "..");
	pkl_out_u64(o, c->last_frame);
	pkl_out_str(o, ", time ");
	reltime(o, c->first_sec, c->first_nsec, v);
	pkl_out_str(o, " .. ");
	reltime(o, c->last_sec, c->last_nsec, v);
	pkl_out_str(o, " s;  client -> server ");
	pkl_out_u64(o, c->end[0].frames);
	pkl_out_str(o, " frames ");
	pkl_out_u64(o, c->end[0].bytes);
	pkl_out_str(o, " bytes;  server -> client ");
	pkl_out_u64(o, c->end[1].frames);
	pkl_out_str(o, " frames ");
	pkl_out_u64(o, c->end[1].bytes);
	pkl_out_str(o, " bytes\n  handshake: ");
	if (handshake_complete(c)) {
		pkl_out_str(o, "frames ");
		for (int i = 0; i < 3; i++) {
			if (i)
				pkl_out_str(o, ", ");
			pkl_out_u64(o, c->handshake_frames[i]);
		}
		pkl_out_str(o, ", RTT ");
		pkl_out_ms(o, (c->ack_time_ns - c->syn_time_ns) / 1000);
		pkl_out_str(o, " ms");
	} else {
		pkl_out_str(o, "not seen complete");
	}
	pkl_out_str(o, "\n  close: ");
	pkl_out_str(o, pkl_conn_close_name(c->close));
	pkl_out_str(o, ";  final states: client ");
	pkl_out_str(o, pkl_tcp_state_name(c->tcp[0].state));
	pkl_out_str(o, ", server ");
	pkl_out_str(o, pkl_tcp_state_name(c->tcp[1].state));
	if (tw) {
		pkl_out_str(o, ";  TIME_WAIT held by ");
		pkl_out_str(o, tw);
		pkl_out_str(o, " until ");
		int e = c->time_wait_until[0] ? 0 : 1;
		reltime(o, c->time_wait_until[e], c->last_nsec, v);
		pkl_out_str(o, " s");
	}
	if (c->tcp[1].state == PKL_TCPS_CLOSE_WAIT || c->tcp[0].state == PKL_TCPS_CLOSE_WAIT)
		pkl_out_str(o, "\n  ! an end is still in CLOSE_WAIT: its application got end of stream but never closed (a likely bug)");
	if (c->coalesced) {
		pkl_out_str(o, "\n  ! ");
		pkl_out_u64(o, c->coalesced);
		pkl_out_str(o, " segment(s) carried small writes sent together (Nagle), first frame ");
		pkl_out_u64(o, c->first_coalesced);
		pkl_out_str(o, ": TCP is a byte stream, so an application must mark its messages (a length prefix)");
	}
	if (c->ttl_changes) {
		pkl_out_str(o, "\n  ! the TTL changed ");
		pkl_out_u64(o, c->ttl_changes);
		pkl_out_str(o, " time(s) within the connection: a route change, or forged packets");
	}
	pkl_out_str(o, "\n  analysis: ");
	pkl_out_u64(o, c->retransmissions);
	pkl_out_str(o, " retransmissions, ");
	pkl_out_u64(o, c->dup_acks);
	pkl_out_str(o, " duplicate ACKs, ");
	pkl_out_u64(o, c->out_of_order);
	pkl_out_str(o, " out-of-order, ");
	pkl_out_u64(o, c->zero_windows);
	pkl_out_str(o, " zero windows");
	text_icmp_errors(o, c);
	if (why == PKL_CONN_EVICTED)
		pkl_out_str(o, "\n  ! evicted from the full table: later frames count as a new conversation");
	pkl_out_str(o, "\n\n");
}

/* ---- UDP flows, echo sessions, ARP exchanges and conflicts ------------- */

static const char *const arp_kinds[] = {
	[PKL_ARPX_REQUEST] = "request", [PKL_ARPX_PROBE] = "probe",
	[PKL_ARPX_GRATUITOUS] = "gratuitous", [PKL_ARPX_UNSOLICITED] = "unsolicited",
};

static void
json_head(struct pkl_json *j, const struct pkl_conn *c, const char *proto)
{
	pkl_json_object_open(j);
	PKL_JSON_KEY(j, "id");
	pkl_json_u64(j, c->id);
	PKL_JSON_KEY(j, "proto");
	pkl_json_name(j, proto);
}

/* Seconds since the first frame of the capture, as in the frame views. */
static void
json_reltime(struct pkl_json *j, int64_t sec, uint32_t nsec, const struct pkl_render *clock)
{
	pkl_out_reltime(j->out, sec, nsec, clock->first_sec, clock->first_nsec);
}

static void
json_frames(struct pkl_json *j, const struct pkl_conn *c, const struct pkl_render *clock)
{
	PKL_JSON_KEY(j, "first_frame");
	pkl_json_u64(j, c->first_frame);
	PKL_JSON_KEY(j, "last_frame");
	pkl_json_u64(j, c->last_frame);
	PKL_JSON_KEY(j, "first_time");
	json_reltime(j, c->first_sec, c->first_nsec, clock);
	PKL_JSON_KEY(j, "last_time");
	json_reltime(j, c->last_sec, c->last_nsec, clock);
}

/* Frames and bytes each way. */
static void
json_counts(struct pkl_json *j, const struct pkl_conn *c)
{
	PKL_JSON_KEY(j, "frames_c2s");
	pkl_json_u64(j, c->end[PKL_CLIENT].frames);
	PKL_JSON_KEY(j, "frames_s2c");
	pkl_json_u64(j, c->end[PKL_SERVER].frames);
	PKL_JSON_KEY(j, "bytes_c2s");
	pkl_json_u64(j, c->end[PKL_CLIENT].bytes);
	PKL_JSON_KEY(j, "bytes_s2c");
	pkl_json_u64(j, c->end[PKL_SERVER].bytes);
}

static void
json_tail(struct pkl_json *j, enum pkl_conn_exit why)
{
	PKL_JSON_KEY(j, "left_table");
	pkl_json_name(j, exit_names[why]);
	pkl_json_object_close(j);
	pkl_out_char(j->out, '\n');
}

/* A name, or null. */
static void
json_name_or_null(struct pkl_json *j, const char *name)
{
	if (name)
		pkl_json_name(j, name);
	else
		pkl_json_null(j);
}

static void
json_u64_array(struct pkl_json *j, const uint64_t *v, unsigned n)
{
	pkl_json_array_open(j);
	for (unsigned i = 0; i < n; i++) {
		pkl_json_elem(j);
		pkl_json_u64(j, v[i]);
	}
	pkl_json_array_close(j);
}

static void
json_conn(struct pkl_json *j, const struct pkl_conn *c, enum pkl_conn_exit why,
	  const struct pkl_render *clock)
{
	const char *tw = time_wait_holder(c);

	json_head(j, c, "tcp");
	PKL_JSON_KEY(j, "client");
	pkl_json_endpoint(j, c->family, c->end[PKL_CLIENT].addr, c->end[PKL_CLIENT].port);
	PKL_JSON_KEY(j, "server");
	pkl_json_endpoint(j, c->family, c->end[PKL_SERVER].addr, c->end[PKL_SERVER].port);
	PKL_JSON_KEY(j, "roles_inferred");
	pkl_json_bool(j, c->roles_inferred);
	json_frames(j, c, clock);
	PKL_JSON_KEY(j, "handshake_frames");
	if (handshake_complete(c))
		json_u64_array(j, c->handshake_frames, 3);
	else
		pkl_json_null(j);
	PKL_JSON_KEY(j, "handshake_rtt_ms");
	if (handshake_complete(c))
		pkl_json_ms(j, (c->ack_time_ns - c->syn_time_ns) / 1000);
	else
		pkl_json_null(j);
	PKL_JSON_KEY(j, "close");
	pkl_json_name(j, pkl_conn_close_name(c->close));
	/* Each end's first FIN (0: none), in frame order. */
	uint64_t fins[2] = { c->fin_frames[0], c->fin_frames[1] };
	if (fins[0] > fins[1]) {
		fins[0] = c->fin_frames[1];
		fins[1] = c->fin_frames[0];
	}
	unsigned no_fin = (fins[0] == 0) + (fins[1] == 0);
	PKL_JSON_KEY(j, "fin_frames");
	json_u64_array(j, fins + no_fin, 2 - no_fin);
	PKL_JSON_KEY(j, "client_state");
	pkl_json_name(j, pkl_tcp_state_name(c->tcp[PKL_CLIENT].state));
	PKL_JSON_KEY(j, "server_state");
	pkl_json_name(j, pkl_tcp_state_name(c->tcp[PKL_SERVER].state));
	PKL_JSON_KEY(j, "time_wait");
	json_name_or_null(j, tw);
	/* When the 2*MSL of the (later) holder ends, on the capture's clock. */
	PKL_JSON_KEY(j, "time_wait_until");
	if (tw) {
		int64_t until = c->time_wait_until[0] > c->time_wait_until[1] ? c->time_wait_until[0]
									: c->time_wait_until[1];
		json_reltime(j, until, c->last_nsec, clock);
	} else {
		pkl_json_null(j);
	}
	/* An end left in CLOSE_WAIT got end of stream and never closed. */
	bool cw_client = c->tcp[PKL_CLIENT].state == PKL_TCPS_CLOSE_WAIT;
	bool cw_server = c->tcp[PKL_SERVER].state == PKL_TCPS_CLOSE_WAIT;
	PKL_JSON_KEY(j, "close_wait");
	json_name_or_null(j, cw_client ? "client" : cw_server ? "server" : NULL);
	PKL_JSON_KEY(j, "retransmissions");
	pkl_json_u64(j, c->retransmissions);
	PKL_JSON_KEY(j, "dup_acks");
	pkl_json_u64(j, c->dup_acks);
	PKL_JSON_KEY(j, "out_of_order");
	pkl_json_u64(j, c->out_of_order);
	PKL_JSON_KEY(j, "zero_windows");
	pkl_json_u64(j, c->zero_windows);
	PKL_JSON_KEY(j, "coalesced_segments");
	pkl_json_u64(j, c->coalesced);
	PKL_JSON_KEY(j, "ttl_changes");
	pkl_json_u64(j, c->ttl_changes);
	json_counts(j, c);
	json_icmp_errors(j, c);
	json_tail(j, why);
}

static void
json_udp(struct pkl_json *j, const struct pkl_conn *c, enum pkl_conn_exit why,
	 const struct pkl_render *clock)
{
	json_head(j, c, "udp");
	PKL_JSON_KEY(j, "client");
	pkl_json_endpoint(j, c->family, c->end[PKL_CLIENT].addr, c->end[PKL_CLIENT].port);
	PKL_JSON_KEY(j, "server");
	pkl_json_endpoint(j, c->family, c->end[PKL_SERVER].addr, c->end[PKL_SERVER].port);
	json_frames(j, c, clock);
	json_counts(j, c);
	json_icmp_errors(j, c);
	json_tail(j, why);
}

/* A round trip in milliseconds, or null when no reply was timed. */
static void
json_rtt(struct pkl_json *j, bool timed, uint64_t ns)
{
	if (timed)
		pkl_json_ms(j, ns / 1000);
	else
		pkl_json_null(j);
}

static void
json_echo(struct pkl_json *j, const struct pkl_conn *c, enum pkl_conn_exit why,
	  const struct pkl_render *clock)
{
	const struct pkl_echo_session *e = &c->x.echo;
	struct pkl_echo_ref lost[PKL_ECHO_LOST_KEPT + PKL_ECHO_PENDING];
	uint32_t n_lost = pkl_echo_lost(c, lost, sizeof lost / sizeof lost[0]);
	uint32_t listed = n_lost < sizeof lost / sizeof lost[0] ? n_lost : sizeof lost / sizeof lost[0];

	json_head(j, c, c->family == 4 ? "icmp" : "icmpv6");
	PKL_JSON_KEY(j, "client");
	pkl_json_address(j, c->family, c->end[PKL_CLIENT].addr);
	PKL_JSON_KEY(j, "server");
	pkl_json_address(j, c->family, c->end[PKL_SERVER].addr);
	PKL_JSON_KEY(j, "icmp_id");
	pkl_json_u64(j, c->end[PKL_CLIENT].port);
	json_frames(j, c, clock);
	PKL_JSON_KEY(j, "requests");
	pkl_json_u64(j, e->requests);
	PKL_JSON_KEY(j, "replies");
	pkl_json_u64(j, e->replies);
	PKL_JSON_KEY(j, "lost");
	pkl_json_u64(j, n_lost);
	PKL_JSON_KEY(j, "lost_seqs");
	pkl_json_array_open(j);
	for (uint32_t i = 0; i < listed; i++) {
		pkl_json_elem(j);
		pkl_json_u64(j, lost[i].seq);
	}
	pkl_json_array_close(j);
	PKL_JSON_KEY(j, "lost_frames");
	pkl_json_array_open(j);
	for (uint32_t i = 0; i < listed; i++) {
		pkl_json_elem(j);
		pkl_json_u64(j, lost[i].frame);
	}
	pkl_json_array_close(j);
	PKL_JSON_KEY(j, "duplicates");
	pkl_json_u64(j, e->duplicates);
	PKL_JSON_KEY(j, "unmatched_replies");
	pkl_json_u64(j, e->unmatched);
	PKL_JSON_KEY(j, "rtt_min_ms");
	json_rtt(j, e->answers, e->rtt_min_ns);
	PKL_JSON_KEY(j, "rtt_avg_ms");
	json_rtt(j, e->answers, e->answers ? e->rtt_sum_ns / e->answers : 0);
	PKL_JSON_KEY(j, "rtt_max_ms");
	json_rtt(j, e->answers, e->rtt_max_ns);
	json_icmp_errors(j, c);
	json_tail(j, why);
}

static void
json_arp(struct pkl_json *j, const struct pkl_conn *c, enum pkl_conn_exit why,
	 const struct pkl_render *clock)
{
	const struct pkl_arp_exchange *x = &c->x.arp;

	json_head(j, c, "arp");
	PKL_JSON_KEY(j, "kind");
	pkl_json_name(j, arp_kinds[x->kind]);
	PKL_JSON_KEY(j, "client");
	pkl_json_address(j, c->family, c->end[PKL_CLIENT].addr);
	PKL_JSON_KEY(j, "client_mac");
	pkl_json_mac(j, x->asker_mac);
	PKL_JSON_KEY(j, "server");
	pkl_json_address(j, c->family, c->end[PKL_SERVER].addr);
	PKL_JSON_KEY(j, "server_macs");
	pkl_json_array_open(j);
	for (unsigned i = 0; i < x->n_answer_macs; i++) {
		pkl_json_elem(j);
		pkl_json_mac(j, x->answer_mac[i]);
	}
	pkl_json_array_close(j);
	json_frames(j, c, clock);
	PKL_JSON_KEY(j, "requests");
	pkl_json_u64(j, x->requests);
	PKL_JSON_KEY(j, "replies");
	pkl_json_u64(j, x->replies);
	PKL_JSON_KEY(j, "answer_frames");
	if (x->reply_frame)
		json_u64_array(j, (const uint64_t[]){ x->answered_frame, x->reply_frame }, 2);
	else
		pkl_json_null(j);
	PKL_JSON_KEY(j, "answer_ms");
	if (x->reply_frame)
		pkl_json_ms(j, x->answer_ns / 1000);
	else
		pkl_json_null(j);
	json_tail(j, why);
}

static void
json_conflict(struct pkl_json *j, const struct pkl_conn *c, enum pkl_conn_exit why,
	      const struct pkl_render *clock)
{
	const struct pkl_arp_binding *b = &c->x.binding;

	json_head(j, c, "arp");
	PKL_JSON_KEY(j, "kind");
	pkl_json_name(j, "conflict");
	PKL_JSON_KEY(j, "ip");
	pkl_json_address(j, c->family, c->end[0].addr);
	PKL_JSON_KEY(j, "macs");
	pkl_json_array_open(j);
	for (unsigned i = 0; i < b->n_macs; i++) {
		const struct pkl_arp_claimer *m = &b->mac[i];
		pkl_json_elem(j);
		pkl_json_object_open(j);
		PKL_JSON_KEY(j, "mac");
		pkl_json_mac(j, m->mac);
		PKL_JSON_KEY(j, "claims");
		pkl_json_u64(j, m->claims);
		PKL_JSON_KEY(j, "frames");
		json_u64_array(j, m->frames, m->claims < PKL_ARP_CLAIM_FRAMES ? m->claims
									   : PKL_ARP_CLAIM_FRAMES);
		pkl_json_object_close(j);
	}
	pkl_json_array_close(j);
	PKL_JSON_KEY(j, "other_claims");
	pkl_json_u64(j, b->other_claims);
	json_frames(j, c, clock);
	json_tail(j, why);
}

static void
text_span(struct pkl_out *o, const struct pkl_conn *c, const struct pkl_conns_view *v)
{
	pkl_out_str(o, "\n  frames ");
	pkl_out_u64(o, c->first_frame);
	pkl_out_str(o, "..");
	pkl_out_u64(o, c->last_frame);
	pkl_out_str(o, ", time ");
	reltime(o, c->first_sec, c->first_nsec, v);
	pkl_out_str(o, " .. ");
	reltime(o, c->last_sec, c->last_nsec, v);
	pkl_out_str(o, " s");
}

static void
text_end(struct pkl_out *o, enum pkl_conn_exit why)
{
	if (why == PKL_CONN_EVICTED)
		pkl_out_str(o, "\n  ! evicted from the full table: later frames count as a new conversation");
	pkl_out_str(o, "\n\n");
}

static void
text_udp(struct pkl_out *o, const struct pkl_conn *c, enum pkl_conn_exit why,
	 const struct pkl_conns_view *v)
{
	const char *service = pkl_service_name(c->end[PKL_SERVER].port);

	pkl_out_str(o, "udp #");
	pkl_out_u64(o, c->id);
	pkl_out_str(o, "  UDP  client ");
	endpoint(o, c, PKL_CLIENT);
	pkl_out_str(o, " -> server ");
	endpoint(o, c, PKL_SERVER);
	if (service) {
		pkl_out_str(o, " (");
		pkl_out_str(o, service);
		pkl_out_char(o, ')');
	}
	text_span(o, c, v);
	for (int e = PKL_CLIENT; e <= PKL_SERVER; e++) {
		pkl_out_str(o, e == PKL_CLIENT ? ";  client -> server " : ";  server -> client ");
		text_count(o, c->end[e].frames, "datagram ", "datagrams ");
		text_count(o, c->end[e].bytes, "byte", "bytes");
	}
	text_icmp_errors(o, c);
	text_end(o, why);
}

static void
text_echo(struct pkl_out *o, const struct pkl_conn *c, enum pkl_conn_exit why,
	  const struct pkl_conns_view *v)
{
	const struct pkl_echo_session *e = &c->x.echo;
	struct pkl_echo_ref lost[PKL_ECHO_LOST_KEPT + PKL_ECHO_PENDING];
	uint32_t n_lost = pkl_echo_lost(c, lost, sizeof lost / sizeof lost[0]);

	pkl_out_str(o, "ping #");
	pkl_out_u64(o, c->id);
	pkl_out_str(o, c->family == 4 ? "  ICMP echo  client " : "  ICMPv6 echo  client ");
	address(o, c, PKL_CLIENT);
	pkl_out_str(o, " -> server ");
	address(o, c, PKL_SERVER);
	pkl_out_str(o, "  id ");
	pkl_out_u64(o, c->end[PKL_CLIENT].port);
	text_span(o, c, v);
	pkl_out_str(o, ";  ");
	text_count(o, e->requests, "request, ", "requests, ");
	text_count(o, e->replies, "reply", "replies");
	if (e->answers) {
		pkl_out_str(o, "\n  round trip: min ");
		pkl_out_ms(o, e->rtt_min_ns / 1000);
		pkl_out_str(o, " ms, avg ");
		pkl_out_ms(o, e->rtt_sum_ns / e->answers / 1000);
		pkl_out_str(o, " ms, max ");
		pkl_out_ms(o, e->rtt_max_ns / 1000);
		pkl_out_str(o, " ms");
	}
	if (n_lost) {
		pkl_out_str(o, "\n  ! ");
		text_count(o, n_lost, "request", "requests");
		pkl_out_str(o, " never answered:");
		for (uint32_t i = 0; i < n_lost && i < sizeof lost / sizeof lost[0]; i++) {
			pkl_out_str(o, i ? ", seq " : " seq ");
			pkl_out_u64(o, lost[i].seq);
			pkl_out_str(o, " (frame ");
			pkl_out_u64(o, lost[i].frame);
			pkl_out_char(o, ')');
		}
		if (n_lost > sizeof lost / sizeof lost[0])
			pkl_out_str(o, ", ...");
	}
	if (e->duplicates) {
		pkl_out_str(o, "\n  ! ");
		text_count(o, e->duplicates, "duplicate reply", "duplicate replies");
	}
	if (e->unmatched) {
		pkl_out_str(o, "\n  ");
		text_count(o, e->unmatched, "reply", "replies");
		pkl_out_str(o, " to no request seen");
	}
	text_icmp_errors(o, c);
	text_end(o, why);
}

static void
text_arp(struct pkl_out *o, const struct pkl_conn *c, enum pkl_conn_exit why,
	 const struct pkl_conns_view *v)
{
	const struct pkl_arp_exchange *x = &c->x.arp;

	pkl_out_str(o, "arp #");
	pkl_out_u64(o, c->id);
	switch (x->kind) {
	case PKL_ARPX_REQUEST:
	case PKL_ARPX_PROBE:
		pkl_out_str(o, x->kind == PKL_ARPX_PROBE ? "  probe: is " : "  who-has ");
		address(o, c, PKL_SERVER);
		pkl_out_str(o, x->kind == PKL_ARPX_PROBE ? " in use? asked by " : "? asked by ");
		if (x->kind == PKL_ARPX_REQUEST) {
			address(o, c, PKL_CLIENT);
			pkl_out_str(o, " (");
		}
		pkl_out_mac(o, x->asker_mac);
		if (x->kind == PKL_ARPX_REQUEST)
			pkl_out_char(o, ')');
		break;
	case PKL_ARPX_GRATUITOUS:
		pkl_out_str(o, "  gratuitous: ");
		address(o, c, PKL_CLIENT);
		pkl_out_str(o, " announced by ");
		pkl_out_mac(o, x->asker_mac);
		break;
	case PKL_ARPX_UNSOLICITED:
		pkl_out_str(o, "  unsolicited reply: ");
		address(o, c, PKL_SERVER);
		pkl_out_str(o, " is-at ");
		pkl_out_mac(o, x->answer_mac[0]);
		pkl_out_str(o, ", told to ");
		address(o, c, PKL_CLIENT);
		pkl_out_str(o, " (");
		pkl_out_mac(o, x->asker_mac);
		pkl_out_char(o, ')');
		break;
	}
	text_span(o, c, v);
	pkl_out_str(o, ";  ");
	text_count(o, x->requests, "request, ", "requests, ");
	text_count(o, x->replies, "reply", "replies");
	bool asked = x->kind == PKL_ARPX_REQUEST || x->kind == PKL_ARPX_PROBE;
	if (asked && x->reply_frame) {
		pkl_out_str(o, "\n  answer: ");
		for (unsigned i = 0; i < x->n_answer_macs; i++) {
			if (i)
				pkl_out_str(o, " and ");
			pkl_out_mac(o, x->answer_mac[i]);
		}
		pkl_out_str(o, " in frame ");
		pkl_out_u64(o, x->reply_frame);
		pkl_out_str(o, " to the request of frame ");
		pkl_out_u64(o, x->answered_frame);
		pkl_out_str(o, ", after ");
		pkl_out_ms(o, x->answer_ns / 1000);
		pkl_out_str(o, " ms");
		if (x->kind == PKL_ARPX_PROBE)
			pkl_out_str(o, "\n  ! the probed address is taken: the prober must not use it");
		if (x->n_answer_macs > 1)
			pkl_out_str(o, "\n  ! more than one MAC answered: an address conflict");
	} else if (asked) {
		pkl_out_str(o, x->kind == PKL_ARPX_PROBE
			       ? "\n  no answer: nobody claimed the address"
			       : "\n  ! no answer: the host is down or absent, or its replies were lost");
	}
	text_end(o, why);
}

static void
text_conflict(struct pkl_out *o, const struct pkl_conn *c, enum pkl_conn_exit why,
	      const struct pkl_conns_view *v)
{
	const struct pkl_arp_binding *b = &c->x.binding;

	pkl_out_str(o, "arp #");
	pkl_out_u64(o, c->id);
	pkl_out_str(o, "  ! conflict: ");
	address(o, c, 0);
	pkl_out_str(o, " claimed by ");
	text_count(o, b->n_macs, "MAC", "MACs");
	if (b->other_claims)
		pkl_out_str(o, " and more");
	text_span(o, c, v);
	for (unsigned i = 0; i < b->n_macs; i++) {
		const struct pkl_arp_claimer *m = &b->mac[i];
		pkl_out_str(o, "\n  ");
		pkl_out_mac(o, m->mac);
		pkl_out_str(o, ": ");
		text_count(o, m->claims, "claim", "claims");
		pkl_out_str(o, m->claims == 1 ? ", frame" : ", frames");
		for (uint32_t j = 0; j < m->claims && j < PKL_ARP_CLAIM_FRAMES; j++) {
			pkl_out_str(o, j ? ", " : " ");
			pkl_out_u64(o, m->frames[j]);
		}
		if (m->claims > PKL_ARP_CLAIM_FRAMES)
			pkl_out_str(o, ", ...");
	}
	if (b->other_claims) {
		pkl_out_str(o, "\n  ");
		text_count(o, b->other_claims, "claim", "claims");
		pkl_out_str(o, " by further MACs");
	}
	pkl_out_str(o, "\n  ! two hosts configured with one address, or one impersonating the other (ARP spoofing)");
	text_end(o, why);
}

typedef void json_record_fn(struct pkl_json *j, const struct pkl_conn *c, enum pkl_conn_exit why,
			    const struct pkl_render *clock);
typedef void text_record_fn(struct pkl_out *o, const struct pkl_conn *c, enum pkl_conn_exit why,
			    const struct pkl_conns_view *v);

void
pkl_render_conn(void *view, const struct pkl_conn *c, enum pkl_conn_exit why)
{
	static const struct {
		json_record_fn *json;
		text_record_fn *text;
	} record[PKL_KIND_COUNT] = {
		[PKL_KIND_TCP] = { json_conn, text_conn },
		[PKL_KIND_UDP] = { json_udp, text_udp },
		[PKL_KIND_ECHO] = { json_echo, text_echo },
		[PKL_KIND_ARP] = { json_arp, text_arp },
		[PKL_KIND_ARP_BINDING] = { json_conflict, text_conflict },
	};
	struct pkl_conns_view *v = view;

	/* An address one MAC claimed is no news: only conflicts are. */
	if (c->kind == PKL_KIND_ARP_BINDING && c->x.binding.n_macs < 2)
		return;
	if (v->json) {
		struct pkl_json j;
		pkl_json_init(&j, v->out);
		record[c->kind].json(&j, c, why, v->clock);
	} else
		record[c->kind].text(v->out, c, why, v);
}
