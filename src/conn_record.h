/* What the connection tracker tells of a conversation as it leaves its
 * table: the record `conns` prints and the timeline heads a diagram
 * with.  The tracker fills one from its table entry, whose layout is
 * tuned for the cache and its own bookkeeping (conntrack_entry.h), so
 * that the views read facts under names that say what they are and
 * never depend on how the table keeps a conversation.  A record holds
 * what its kind tells: the other kinds' part of it, and a list's
 * elements beyond those listed, are not filled. */
#ifndef PKL_CONN_RECORD_H
#define PKL_CONN_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "record_types.h"

enum { PKL_CLIENT = 0, PKL_SERVER = 1 };

/* What a conversation is.  TCP is the zero value, so a fresh table
 * entry is a TCP connection. */
enum pkl_conn_kind {
	PKL_KIND_TCP,
	PKL_KIND_UDP,
	PKL_KIND_ECHO,             /* ICMP or ICMPv6 echo requests and their replies */
	PKL_KIND_ARP,              /* an ARP request or probe and its answers, or an announcement */
	PKL_KIND_ARP_BINDING,      /* the MACs that claimed one IPv4 address */
	PKL_KIND_COUNT
};

/* Why a conversation left the table: idle past the timeout, evicted
 * from the full table, its 4-tuple reused by a new SYN, still there at
 * the end (pkl_conntrack_finish), or closed (2*MSL after its last
 * frame, or making room). */
enum pkl_conn_exit {
	PKL_CONN_EXPIRED, PKL_CONN_EVICTED, PKL_CONN_REUSED, PKL_CONN_AT_END, PKL_CONN_CLOSED
};

/* Which ends of a conversation something holds for: a bit each. */
enum pkl_conn_ends {
	PKL_ENDS_NONE = 0,
	PKL_ENDS_CLIENT = 1 << PKL_CLIENT,
	PKL_ENDS_SERVER = 1 << PKL_SERVER,
	PKL_ENDS_BOTH = PKL_ENDS_CLIENT | PKL_ENDS_SERVER,
};

/* An ICMP error about a conversation; the first few are listed, all
 * are counted. */
#define PKL_CONN_ICMP_ERRORS 3

struct pkl_icmp_error_ref {
	uint64_t frame;
	uint64_t quoted_frame;     /* the frame of the quoted datagram; 0: not known */
	uint32_t mtu;              /* fragmentation needed / packet too big; else 0 */
	uint8_t type, code;
};

/* One end: where it is (an ICMP echo or ARP end has no port) and what
 * it sent. */
struct pkl_conn_side {
	struct pkl_endpoint endpoint;
	uint64_t frames, bytes;
};

struct pkl_tcp_record {
	bool roles_inferred;       /* no SYN seen: who is client and who is server was guessed */
	bool handshake_seen;       /* all three segments of the handshake */
	uint8_t close;             /* enum pkl_conn_close: how it ended */
	uint8_t client_state, server_state;   /* enum pkl_tcp_state at the end */
	uint8_t time_wait_held_by; /* enum pkl_conn_ends */
	uint8_t close_wait_left_in; /* enum pkl_conn_ends: the end left in CLOSE_WAIT (one) */
	uint8_t fins;              /* ends that sent a FIN: fin_frames listed */
	uint64_t handshake_frames[3];   /* SYN, SYN+ACK, ACK; when handshake_seen */
	uint64_t handshake_rtt_us; /* SYN to ACK; when handshake_seen */
	uint64_t fin_frames[2];    /* each end's first FIN, in frame order */
	/* The capture time each end's TIME_WAIT (2*MSL) ends, for the ends
	 * in time_wait_held_by (0 seconds for the others). */
	struct pkl_time time_wait_until[2];  /* [PKL_CLIENT], [PKL_SERVER] */
	uint32_t retransmissions, dup_acks, out_of_order, zero_windows;
	uint32_t zero_window_probes, keep_alives;
	uint8_t capture_point;     /* enum pkl_capture_point */
	uint32_t coalesced;        /* segments that carried small writes Nagle held back */
	uint32_t ttl_changes;
	uint64_t first_coalesced;  /* the first such frame */
};

/* Requests never answered listed at most: the first ones pushed out
 * unanswered, then those still waiting when the session left the table. */
#define PKL_ECHO_LOST_LISTED 8

/* A request, where it is. */
struct pkl_echo_ref {
	uint64_t frame;
	uint16_t seq;
};

struct pkl_echo_record {
	uint16_t icmp_id;
	bool answered;             /* some reply answered a waiting request: round trips known */
	uint32_t requests, replies;
	uint32_t duplicates;       /* second replies to one request */
	uint32_t unmatched;        /* replies to no request seen */
	uint64_t rtt_min_us, rtt_avg_us, rtt_max_us;   /* when answered */
	uint32_t lost;             /* requests never answered */
	uint32_t lost_listed;
	struct pkl_echo_ref lost_requests[PKL_ECHO_LOST_LISTED];
};

enum pkl_arp_exchange_kind {
	PKL_ARPX_REQUEST,          /* who-has, from an address */
	PKL_ARPX_PROBE,            /* who-has from 0.0.0.0 (RFC 5227) */
	PKL_ARPX_GRATUITOUS,       /* a host announces its own address */
	PKL_ARPX_UNSOLICITED,      /* a reply no request asked for */
};

#define PKL_ARP_ANSWER_MACS 2

/* The client is the asker (or the host told, for an unsolicited
 * reply), the server the address asked about. */
struct pkl_arp_record {
	uint8_t kind;              /* enum pkl_arp_exchange_kind */
	uint8_t asker_mac[6];
	uint8_t answer_macs;       /* MACs that answered, listed */
	uint8_t answer_mac[PKL_ARP_ANSWER_MACS][6];
	bool answered;             /* answer_frames and answer_us are known */
	uint32_t requests, replies;
	uint64_t answer_frames[2]; /* the first answer: the request, the reply */
	uint64_t answer_us;
};

#define PKL_ARP_CLAIMERS 3
#define PKL_ARP_CLAIM_FRAMES 4     /* the first claims of each MAC, listed */

struct pkl_arp_claim {
	uint8_t mac[6];
	uint32_t claims;
	uint32_t frames_listed;
	uint64_t frames[PKL_ARP_CLAIM_FRAMES];
};

/* One IPv4 address (the client's) claimed by MACs; a conflict when
 * there are two or more. */
struct pkl_arp_binding_record {
	uint8_t macs;              /* MACs listed */
	uint32_t other_claims;     /* by MACs beyond those listed */
	struct pkl_arp_claim claim[PKL_ARP_CLAIMERS];
};

struct pkl_conn_record {
	uint64_t id;               /* counted per kind, from 1, in order of first frame */
	uint8_t kind;              /* enum pkl_conn_kind */
	uint8_t left;              /* enum pkl_conn_exit: why it left the table */
	struct pkl_conn_side client, server;
	uint64_t first_frame, last_frame;
	struct pkl_time first_time, last_time;
	uint32_t icmp_error_count;
	uint32_t icmp_errors_listed;
	struct pkl_icmp_error_ref icmp_error[PKL_CONN_ICMP_ERRORS];
	union {                    /* by kind; UDP has nothing of its own */
		struct pkl_tcp_record tcp;
		struct pkl_echo_record echo;
		struct pkl_arp_record arp;
		struct pkl_arp_binding_record binding;
	};
};

#endif
