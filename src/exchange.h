/* Exchanges: the conversations that are not TCP connections, followed in
 * the connection tracker's table (conntrack.c) as entries of their own
 * kind.
 *
 *  - UDP flows: both directions of a 4-tuple; the client sent first.
 *    A datagram broadcast to every host is one flow with the answers of
 *    each host that answers it.
 *  - ICMP and ICMPv6 echo sessions: requests from one host to another
 *    under one identifier, paired with their replies by sequence number.
 *  - ARP exchanges: a request (or probe) and its answers; gratuitous
 *    announcements and unsolicited replies are exchanges of their own.
 *  - ARP bindings: the MACs that claimed an IPv4 address; two of them
 *    make a conflict.
 *
 * ICMP errors are tied to the flow, echo session or TCP connection whose
 * datagram they quote. */
#ifndef PKL_EXCHANGE_H
#define PKL_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "conn_record.h"
#include "findings.h"
#include "packet.h"

struct pkl_conn;
struct pkl_conntrack;

/* The last few datagrams of a UDP flow: which one an error quotes is
 * told by the quoted IPv4 identification (over IPv6, the UDP length) and
 * the UDP checksum. */
#define PKL_UDP_RECENT 4

struct pkl_udp_datagram {
	uint64_t frame;
	uint32_t mark;             /* IP identification or length, UDP checksum */
	uint8_t sender;
};

/* The hosts that answered a flow's broadcast, the first few listed. */
#define PKL_UDP_ANSWERERS 4

struct pkl_udp_flow {
	struct pkl_udp_datagram recent[PKL_UDP_RECENT];
	uint8_t next_recent;
	uint8_t n_answerers;
	uint8_t answerer[PKL_UDP_ANSWERERS][4];
	uint32_t other_answerers;
};

/* Requests waiting for their reply: a ping sends one a second, and
 * a reply takes a round trip, so a few suffice; a request pushed out
 * by newer ones unanswered is counted lost. */
#define PKL_ECHO_PENDING 4
#define PKL_ECHO_LOST_KEPT 4       /* the first lost requests, listed */

struct pkl_echo_request {
	struct pkl_echo_ref ref;
	uint64_t ns;               /* capture time */
};

struct pkl_echo_session {
	uint32_t requests, replies;
	uint32_t answers;          /* replies to a waiting request: the round trips */
	uint32_t duplicates;       /* second replies to one request */
	uint32_t unmatched;        /* replies to no request seen */
	uint32_t errors;           /* requests an ICMP error answered instead */
	uint64_t rtt_min_ns, rtt_max_ns, rtt_sum_ns;
	struct pkl_echo_request pending[PKL_ECHO_PENDING];   /* oldest first */
	uint8_t n_pending;
	bool have_answered;
	struct pkl_echo_ref answered;       /* the last request answered */
	uint32_t lost;             /* pushed out of pending unanswered */
	struct pkl_echo_ref lost_kept[PKL_ECHO_LOST_KEPT];
};

struct pkl_arp_exchange {
	enum pkl_arp_exchange_kind kind;
	uint8_t asker_mac[6];
	uint8_t n_answer_macs;
	uint8_t answer_mac[PKL_ARP_ANSWER_MACS][6];
	uint32_t requests, replies;
	uint64_t last_request_frame, last_request_ns;
	uint64_t answered_frame, reply_frame;   /* the first answer: request, reply */
	uint64_t answer_ns;
};

struct pkl_arp_claimer {
	uint8_t mac[6];
	uint32_t claims;
	uint64_t last_frame;
	uint64_t frames[PKL_ARP_CLAIM_FRAMES];
};

struct pkl_arp_binding {
	uint8_t n_macs;
	uint32_t other_claims;     /* by MACs beyond those listed */
	struct pkl_arp_claimer mac[PKL_ARP_CLAIMERS];
};

union pkl_exchange {
	struct pkl_udp_flow udp;
	struct pkl_echo_session echo;
	struct pkl_arp_exchange arp;
	struct pkl_arp_binding binding;
};

/* Follow a frame whose first transport layer l (over net, NULL for
 * ARP) is not TCP: its UDP flow, echo session or ARP exchange and
 * binding, or the conversation an ICMP error quotes; record what it
 * finds in found.  Called by pkl_conntrack_frame. */
void pkl_exchange_frame(struct pkl_conntrack *ct, const struct pkl_packet *pkt,
			const struct pkl_layer *net, const struct pkl_layer *l,
			struct pkl_findings *found);

/* The requests of an echo session never answered, as they stand when it
 * leaves the table: the first ones pushed out unanswered (only
 * PKL_ECHO_LOST_KEPT of them are kept), then those still waiting.  Puts
 * up to max of them in out, how many in *listed, and returns how many
 * there are. */
uint32_t pkl_echo_lost(const struct pkl_conn *c, struct pkl_echo_ref *out, unsigned max,
		       unsigned *listed);

#endif
