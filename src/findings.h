/* Findings: what the trackers found about one frame, with its numbers,
 * for the annotation stage (annotate.c) to tell as notes.
 *
 * The connection tracker (conntrack.c) reports a TCP segment in two
 * parts: the snapshot, where the segment sits in its connection (both
 * ends' states before and after it, its step, its relative numbers, the
 * sequence analysis's verdict), which the views also show as fields;
 * and struct pkl_findings, what else it saw happen.  The exchange
 * tracker (exchange.c) and the patterns across connections (patterns.c)
 * add theirs there.  Nothing here depends on the view: the trackers
 * fill it in whether or not notes are made of it.
 *
 * A frame's findings are filled in place, no allocation: what was found
 * comes first, cleared for each frame; the numbers after it are read
 * only with what they belong to.  What the frame itself says (its
 * addresses, ports and flags) is left to the frame. */
#ifndef PKL_FINDINGS_H
#define PKL_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tcp_analysis.h"

/* Where a segment sits in the opening or the closing of its
 * connection: step k of the n of the handshake or of the teardown. */
enum pkl_conn_phase { PKL_PHASE_NONE, PKL_PHASE_HANDSHAKE, PKL_PHASE_TEARDOWN };
struct pkl_conn_step {
	uint8_t phase;              /* enum pkl_conn_phase */
	uint8_t k, n;
};

/* "handshake 2/3", "teardown 1" (a close's total is told at its last
 * step: "teardown 3/3"), or "" for no step: in buf, with its length
 * returned. */
#define PKL_STEP_TEXT 16
size_t pkl_conn_step_format(struct pkl_conn_step step, char buf[PKL_STEP_TEXT]);

/* What the connection tracker says about one frame (TCP only). */
struct pkl_conn_snapshot {
	bool valid;
	uint64_t id;
	int sender;                 /* 0 client, 1 server */
	int before[2], after[2];    /* enum pkl_tcp_state of client and server */
	struct pkl_conn_step step;
	/* Sequence and acknowledgment numbers relative to each end's
	 * initial sequence number (or its first one seen), as Wireshark
	 * shows them; rel_ack is meaningful only with the ACK flag. */
	uint32_t rel_seq, rel_ack;
	struct pkl_tcp_verdict analysis;
};

/* How the roles of a connection whose handshake was not seen were told
 * (the first segment seen was not a SYN). */
enum pkl_roles_by {
	PKL_ROLES_SEEN,             /* not inferred */
	PKL_ROLES_WELL_KNOWN_PORT,  /* the server is the end on a port below 1024 */
	PKL_ROLES_EPHEMERAL_PORT,   /* the client is the end on a port of 32768 and up */
	PKL_ROLES_FIRST_SENDER,     /* neither port tells: the client sent first */
};

/* What a SYN, a SYN+ACK or the ACK of one does to the opening. */
enum pkl_opening {
	PKL_OPENING_NONE,
	PKL_OPENING_SYN_RETRY,      /* the client's SYN again: syn_attempt */
	PKL_OPENING_SIMULTANEOUS,   /* the server sends a SYN of its own */
	PKL_OPENING_HANDSHAKE_1,    /* the SYN */
	PKL_OPENING_HANDSHAKE_2,    /* the SYN+ACK */
	PKL_OPENING_HANDSHAKE_3,    /* the ACK that establishes it: handshake_us */
};

/* What a FIN, or the ACK of one, does to the closing. */
enum pkl_closing {
	PKL_CLOSING_NONE,
	PKL_CLOSING_ACTIVE,         /* teardown 1/4: the first FIN */
	PKL_CLOSING_ACK,            /* teardown 2/4: the ACK of it, without a FIN */
	PKL_CLOSING_FIN_ACK,        /* teardown 2/3: the ACK of it and a FIN in one */
	PKL_CLOSING_PASSIVE,        /* teardown 3/4: the second FIN */
	PKL_CLOSING_LAST,           /* the ACK of the other's FIN into TIME_WAIT: time_wait_s */
	PKL_CLOSING_SIMULTANEOUS,   /* a FIN crossing the other's */
};

/* What an RST ends. */
enum pkl_reset {
	PKL_RESET_NONE,
	PKL_RESET_CLOSED_PORT,      /* a SYN: nothing listens on the RST's source port */
	PKL_RESET_HALF_OPEN,        /* a handshake, after the SYN+ACK */
	PKL_RESET_AFTER_CLOSE,      /* nothing: the sender had closed already */
	PKL_RESET_ABORT,            /* the connection, from the sender's state before */
};

/* A lone segment whose flags no TCP stack sends: a scan's probe. */
enum pkl_scan {
	PKL_SCAN_NONE,
	PKL_SCAN_NULL,              /* no flags */
	PKL_SCAN_FIN,               /* a FIN alone, no ACK */
	PKL_SCAN_XMAS,              /* FIN, PSH and URG */
	PKL_SCAN_ALL,               /* every flag */
	PKL_SCAN_SYN_FIN,
	PKL_SCAN_SYN_RST,
};

/* What a data segment shows of the writes that made it (segment_*). */
enum pkl_boundary {
	PKL_BOUNDARY_NONE,
	PKL_BOUNDARY_COALESCED,     /* small writes Nagle's algorithm held back, sent together */
	PKL_BOUNDARY_FULL,          /* fills the receiver's MSS: a larger write goes on */
	PKL_BOUNDARY_OVERSIZE,      /* beyond the receiver's MSS: offloaded segmentation */
};

/* What an ARP request or reply does to its exchange (arp_*). */
enum pkl_arp_finding {
	PKL_ARP_FOUND_NONE,
	PKL_ARP_FOUND_RETRY,        /* asked again, unanswered yet */
	PKL_ARP_FOUND_ANSWER,       /* answers a request */
	PKL_ARP_FOUND_PROBE_ANSWER, /* answers a probe: the address is taken */
	PKL_ARP_FOUND_UNSOLICITED,  /* a reply nobody asked for */
};

/* What an echo reply answers (echo_*). */
enum pkl_echo_finding {
	PKL_ECHO_FOUND_NONE,
	PKL_ECHO_FOUND_ANSWER,      /* a waiting request */
	PKL_ECHO_FOUND_DUPLICATE,   /* a request answered already */
	PKL_ECHO_FOUND_UNMATCHED,   /* no request waiting */
};

/* The kind of conversation an ICMP error quotes a datagram of (quoted_*). */
enum pkl_quote_finding {
	PKL_QUOTE_FOUND_NONE,
	PKL_QUOTE_FOUND_UDP,        /* a UDP flow */
	PKL_QUOTE_FOUND_TCP,        /* a TCP connection */
	PKL_QUOTE_FOUND_ECHO,       /* an echo session */
};

struct pkl_findings {
	/* Cleared for each frame (pkl_findings_reset): the layer the
	 * findings are about, the frame's conversation's (0 until a tracker
	 * follows the frame), and what was found.  A TCP segment's: */
	uint8_t layer;
	bool reused;                /* a new SYN on the ports of a closed connection */
	uint8_t roles;              /* enum pkl_roles_by */
	uint8_t reset;              /* enum pkl_reset */
	bool port_scan;             /* its client probes many ports */
	uint8_t opening;            /* enum pkl_opening */
	bool syn_flood;             /* its server has many handshakes half-open */
	uint8_t closing;            /* enum pkl_closing */
	uint8_t boundary;           /* enum pkl_boundary */
	bool ttl_changed;           /* its sender's TTL is not what it was */
	uint8_t capture_point;      /* enum pkl_capture_point: said once, as the handshake completes */
	uint8_t scan;               /* enum pkl_scan: the segment that opened its conversation */
	/* An ARP message's, an echo reply's, an ICMP error's: */
	bool arp_conflict;          /* its sender's address was claimed by another MAC */
	bool conflict_defended;     /* ... and its sender held it first */
	uint8_t arp;                /* enum pkl_arp_finding */
	uint8_t echo;               /* enum pkl_echo_finding */
	uint8_t quote;              /* enum pkl_quote_finding */
	bool udp_broadcast_answer;  /* a UDP datagram answering a flow's broadcast */

	/* Their numbers. */
	uint64_t reused_id;         /* the closed connection */
	uint16_t server_port, client_port;   /* roles inferred */
	uint32_t scan_probes;       /* port_scan: attempts refused or cut off ... */
	uint32_t scan_seconds;      /* ... within this many seconds */
	uint64_t syn_attempt;       /* SYN_RETRY: which SYN this is, 2 for the first retry */
	uint64_t syn_answer_frame;  /* SYN_RETRY: the SYN+ACK that went by before it; 0: none */
	/* HANDSHAKE_3, in microseconds: SYN to this ACK, SYN to SYN+ACK,
	 * SYN+ACK to this ACK */
	uint32_t handshake_us[3];
	uint32_t flood_half_open;   /* syn_flood: handshakes half-open at once ... */
	uint16_t flood_port;        /* ... to this port of the server */
	uint32_t time_wait_s;       /* CLOSING_LAST: how long TIME_WAIT holds the ports (2*MSL) */
	uint32_t segment_bytes;     /* boundary: the segment's data (FULL: with its options) */
	uint32_t segment_mss;       /* FULL, OVERSIZE: the receiver's MSS */
	uint64_t segment_ack_frame; /* COALESCED: the ACK whose arrival released them */
	uint8_t ttl_was, ttl_now;   /* ttl_changed */
	/* arp_conflict: the holder (the first MAC that claimed the sender's
	 * address) and its first claim; conflict_defended: the newest other
	 * MAC that claimed it, the last time it did */
	uint8_t conflict_mac[6];
	uint64_t conflict_frame;
	/* arp: the request (ANSWER, PROBE_ANSWER: the one answered; RETRY:
	 * the first), how long the answer took, how many requests so far */
	uint64_t arp_request_frame;
	uint64_t arp_answer_us;
	uint32_t arp_requests;
	/* echo: the request (ANSWER, DUPLICATE) and the round trip (ANSWER) */
	uint64_t echo_request_frame;
	uint64_t echo_rtt_us;
	/* quote: the conversation's number, the quoted datagram's frame (0:
	 * not known), the ICMP sequence number quoted (ECHO); for TCP, the
	 * MTU an error gives and the data a segment can carry under it (0:
	 * no MTU given, or too small for the headers). */
	uint64_t quoted_id, quoted_frame;
	uint16_t quoted_seq;
	uint32_t quoted_mtu, quoted_max_data;
	/* udp_broadcast_answer: the flow, its broadcast datagram, how many
	 * hosts have answered it so far */
	uint64_t broadcast_flow_id, broadcast_frame;
	uint32_t broadcast_hosts;
};

static inline void
pkl_findings_reset(struct pkl_findings *f)
{
	memset(f, 0, offsetof(struct pkl_findings, reused_id));
}

#endif
