/* `pktlens conns`: one record per conversation, text or NDJSON. */
#include "render_conns.h"

#include "out.h"
#include "services.h"

static void
endpoint(struct pkl_out *o, const struct pkl_conn *c, int e)
{
	if (c->family == 4) {
		pkl_out_ipv4(o, c->end[e].addr);
	} else {
		pkl_out_char(o, '[');
		pkl_out_ipv6(o, c->end[e].addr);
		pkl_out_char(o, ']');
	}
	pkl_out_char(o, ':');
	pkl_out_u64(o, c->end[e].port);
}

/* Seconds.microseconds of a capture time relative to the first frame. */
static void
reltime(struct pkl_out *o, int64_t sec, uint32_t nsec, const struct pkl_conns_view *v)
{
	int64_t ns = (sec - v->clock->first_sec) * 1000000000 +
		     ((int64_t)nsec - v->clock->first_nsec);
	if (ns < 0) {
		pkl_out_char(o, '-');
		ns = -ns;
	}
	pkl_out_u64(o, (uint64_t)ns / 1000000000);
	pkl_out_char(o, '.');
	pkl_out_u64_width(o, (uint64_t)ns % 1000000000 / 1000, 6);
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

static void
json_conn(struct pkl_out *o, const struct pkl_conn *c, enum pkl_conn_exit why)
{
	static const char *const exits[] = {
		[PKL_CONN_EXPIRED] = "expired", [PKL_CONN_EVICTED] = "evicted",
		[PKL_CONN_REUSED] = "reused", [PKL_CONN_AT_END] = "end",
		[PKL_CONN_CLOSED] = "closed",
	};
	const char *tw = time_wait_holder(c);

	pkl_out_str(o, "{\"id\":");
	pkl_out_u64(o, c->id);
	pkl_out_str(o, ",\"proto\":\"tcp\",\"client\":\"");
	endpoint(o, c, 0);
	pkl_out_str(o, "\",\"server\":\"");
	endpoint(o, c, 1);
	pkl_out_str(o, "\",\"roles_inferred\":");
	pkl_out_str(o, c->roles_inferred ? "true" : "false");
	pkl_out_str(o, ",\"first_frame\":");
	pkl_out_u64(o, c->first_frame);
	pkl_out_str(o, ",\"last_frame\":");
	pkl_out_u64(o, c->last_frame);
	pkl_out_str(o, ",\"handshake_frames\":");
	if (handshake_complete(c)) {
		for (int i = 0; i < 3; i++) {
			pkl_out_char(o, i ? ',' : '[');
			pkl_out_u64(o, c->handshake_frames[i]);
		}
		pkl_out_str(o, "],\"handshake_rtt_ms\":");
		uint64_t us = (c->ack_time_ns - c->syn_time_ns) / 1000;
		pkl_out_u64(o, us / 1000);
		pkl_out_char(o, '.');
		pkl_out_u64_width(o, us % 1000, 3);
	} else {
		pkl_out_str(o, "null,\"handshake_rtt_ms\":null");
	}
	pkl_out_str(o, ",\"close\":\"");
	pkl_out_str(o, pkl_conn_close_name(c->close));
	pkl_out_str(o, "\",\"fin_frames\":[");
	/* Each end's first FIN (0: none), in frame order. */
	uint64_t a = c->fin_frames[0], b = c->fin_frames[1];
	if (a > b) {
		a = c->fin_frames[1];
		b = c->fin_frames[0];
	}
	if (a) {
		pkl_out_u64(o, a);
		pkl_out_char(o, ',');
	}
	if (b)
		pkl_out_u64(o, b);
	pkl_out_str(o, "],\"client_state\":\"");
	pkl_out_str(o, pkl_tcp_state_name(c->end[0].state));
	pkl_out_str(o, "\",\"server_state\":\"");
	pkl_out_str(o, pkl_tcp_state_name(c->end[1].state));
	pkl_out_str(o, "\",\"time_wait\":");
	if (tw) {
		pkl_out_char(o, '"');
		pkl_out_str(o, tw);
		pkl_out_char(o, '"');
	} else {
		pkl_out_str(o, "null");
	}
	pkl_out_str(o, ",\"retransmissions\":");
	pkl_out_u64(o, c->retransmissions);
	pkl_out_str(o, ",\"dup_acks\":");
	pkl_out_u64(o, c->dup_acks);
	pkl_out_str(o, ",\"out_of_order\":");
	pkl_out_u64(o, c->out_of_order);
	pkl_out_str(o, ",\"zero_windows\":");
	pkl_out_u64(o, c->zero_windows);
	pkl_out_str(o, ",\"frames_c2s\":");
	pkl_out_u64(o, c->end[0].frames);
	pkl_out_str(o, ",\"frames_s2c\":");
	pkl_out_u64(o, c->end[1].frames);
	pkl_out_str(o, ",\"bytes_c2s\":");
	pkl_out_u64(o, c->end[0].bytes);
	pkl_out_str(o, ",\"bytes_s2c\":");
	pkl_out_u64(o, c->end[1].bytes);
	pkl_out_str(o, ",\"left_table\":\"");
	pkl_out_str(o, exits[why]);
	pkl_out_str(o, "\"}\n");
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
		uint64_t us = (c->ack_time_ns - c->syn_time_ns) / 1000;
		pkl_out_str(o, ", RTT ");
		pkl_out_u64(o, us / 1000);
		pkl_out_char(o, '.');
		pkl_out_u64_width(o, us % 1000, 3);
		pkl_out_str(o, " ms");
	} else {
		pkl_out_str(o, "not seen complete");
	}
	pkl_out_str(o, "\n  close: ");
	pkl_out_str(o, pkl_conn_close_name(c->close));
	pkl_out_str(o, ";  final states: client ");
	pkl_out_str(o, pkl_tcp_state_name(c->end[0].state));
	pkl_out_str(o, ", server ");
	pkl_out_str(o, pkl_tcp_state_name(c->end[1].state));
	if (tw) {
		pkl_out_str(o, ";  TIME_WAIT held by ");
		pkl_out_str(o, tw);
		pkl_out_str(o, " until ");
		int e = c->time_wait_until[0] ? 0 : 1;
		reltime(o, c->time_wait_until[e], c->last_nsec, v);
		pkl_out_str(o, " s");
	}
	if (c->end[1].state == PKL_TCPS_CLOSE_WAIT || c->end[0].state == PKL_TCPS_CLOSE_WAIT)
		pkl_out_str(o, "\n  ! an end is still in CLOSE_WAIT: its application got end of stream but never closed (a likely bug)");
	pkl_out_str(o, "\n  analysis: ");
	pkl_out_u64(o, c->retransmissions);
	pkl_out_str(o, " retransmissions, ");
	pkl_out_u64(o, c->dup_acks);
	pkl_out_str(o, " duplicate ACKs, ");
	pkl_out_u64(o, c->out_of_order);
	pkl_out_str(o, " out-of-order, ");
	pkl_out_u64(o, c->zero_windows);
	pkl_out_str(o, " zero windows");
	if (why == PKL_CONN_EVICTED)
		pkl_out_str(o, "\n  ! evicted from the full table: later frames count as a new conversation");
	pkl_out_str(o, "\n\n");
}

void
pkl_render_conn(void *view, const struct pkl_conn *c, enum pkl_conn_exit why)
{
	struct pkl_conns_view *v = view;

	if (v->json)
		json_conn(v->out, c, why);
	else
		text_conn(v->out, c, why, v);
}
