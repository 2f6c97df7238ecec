/* The -Y field filter: a subset of Wireshark's display-filter language
 * over the fields of the --json view (packet_fields.h), compiled once
 * and tested against each frame after decoding and tracking.
 *
 *     ip.src == 10.0.0.1 && tcp.dstport == 443
 *     tcp.analysis.retransmission || !arp
 *     ip.addr == 10.0.0.0/8 and not conn.server_state == "TIME_WAIT"
 *
 * A test is a field alone (is it in the frame?), a protocol name (is
 * the layer there?), or a field, an operator (== != < <= > >= or eq ne
 * lt le gt ge, contains) and a value; tests join with && || ! (and or
 * not) and parentheses, ! binding tighter than &&, && than ||.  A field
 * a frame holds more than once (stacked layers, the datagram an ICMP
 * error quotes, the questions and records of a DNS message) matches
 * when any of its values does, except with !=,
 * which matches when the frame has the field and no value is equal
 * (Wireshark's "all not equal").
 * ip.addr, ipv6.addr, eth.addr, tcp.port and udp.port stand for either
 * of the source and destination fields, tcp.analysis.flags for any
 * finding of the sequence analysis, and mdns for multicast DNS (a dns
 * layer, which dns leaves out), as in Wireshark. */
#ifndef PKL_DFILTER_H
#define PKL_DFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "clock.h"
#include "notes.h"
#include "packet.h"

struct pkl_dfilter;             /* opaque */

/* Room for a sentence, the expression and the caret under it. */
#define PKL_DFILTER_ERRBUF_SIZE 1536

/* NULL with errbuf holding what is wrong, the expression and, on the
 * line below, a caret under the offending token ("^~~~"). */
struct pkl_dfilter *pkl_dfilter_compile(const char *expr, char errbuf[PKL_DFILTER_ERRBUF_SIZE]);

/* Does the frame pass?  The clock gives frame.time_relative's origin.
 * Allocates nothing. */
bool pkl_dfilter_match(const struct pkl_dfilter *df, const struct pkl_packet *pkt,
		       const struct pkl_notes *notes, const struct pkl_clock *clock);

void pkl_dfilter_free(struct pkl_dfilter *df);

#endif
