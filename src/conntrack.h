/* The connection tracker: every TCP connection followed through the
 * states of both its ends (RFC 9293), as the capture point sees them.
 *
 * A capture point sees a segment slightly before (for the sender) or
 * after (for the receiver) the far end does, so states are inferred with
 * one rule: an end's state changes when it sends a segment, or when it
 * receives the acknowledgment of its own SYN or FIN; the receipt of a
 * SYN or FIN shows in the receiver's state when it acknowledges it,
 * except at a capture taken on the receiver's host (known from the
 * handshake's gaps), where a FIN changes its state as it arrives.  An
 * end is never shown in a state it did not pass through: a server whose
 * SYN is unanswered is LISTEN? (a listener, or no socket at all), FINs
 * that cross take both ends through CLOSING, and a FIN that also
 * acknowledges ours takes FIN_WAIT_1 straight to TIME_WAIT. */
#ifndef PKL_CONNTRACK_H
#define PKL_CONNTRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "conn_record.h"
#include "findings.h"
#include "packet.h"

struct pkl_conntrack_opts {
	uint32_t max_conns;        /* table cap; the least recently seen is evicted beyond it */
	uint32_t idle_timeout;     /* seconds of capture time before an idle connection expires */
	uint32_t exchange_timeout; /* the same for UDP flows, echo sessions and ARP */
	uint32_t msl;              /* maximum segment lifetime, seconds: TIME_WAIT lasts 2*MSL,
				    * and a closed connection stays 2*MSL after its last frame */
	bool time_acks;            /* time each ACK against the segment it covers (ack_rtt) */
};

struct pkl_conntrack;          /* opaque */

/* Called with the record of each conversation leaving the table
 * (record->left says why), valid for the call only. */
typedef void pkl_conn_done_fn(void *ctx, const struct pkl_conn_record *record);

/* NULL when there is no memory for the table's fixed parts.  Those do
 * not depend on opts->max_conns (the pool starts at two entries and
 * grows as connections arrive), so lowering the cap is no remedy: a cap
 * the memory cannot hold shows later, as pkl_conntrack_alloc_failures. */
struct pkl_conntrack *pkl_conntrack_new(const struct pkl_conntrack_opts *opts,
					pkl_conn_done_fn *done, void *ctx);
/* Follow a decoded frame: update its conversation, describe a TCP
 * segment's place in its connection in *conn, and record what else was
 * found in *found (both reset first). */
void pkl_conntrack_frame(struct pkl_conntrack *ct, const struct pkl_packet *pkt,
			 struct pkl_conn_snapshot *conn, struct pkl_findings *found);
/* Hand every connection still in the table to done, in order of first
 * frame, and empty the table. */
void pkl_conntrack_finish(struct pkl_conntrack *ct);
/* Connections evicted to stay within opts->max_conns. */
uint64_t pkl_conntrack_evicted(const struct pkl_conntrack *ct);
/* Connections evicted below the cap, when the table could not grow for
 * want of memory (reported to done as PKL_CONN_EVICTED too). */
uint64_t pkl_conntrack_alloc_failures(const struct pkl_conntrack *ct);
/* Times every entry was hashed again under new keys, because a lookup
 * walked a bucket chain that chance does not make (an attack). */
uint64_t pkl_conntrack_rekeys(const struct pkl_conntrack *ct);
/* For tests: every key of the table's hash (hash.h) set to this one,
 * instead of drawn at random, so that a test can build keys that share
 * a bucket. */
struct pkl_hash_key;
void pkl_conntrack_set_hash_key(struct pkl_conntrack *ct, const struct pkl_hash_key *key);

void pkl_conntrack_free(struct pkl_conntrack *ct);

#endif
