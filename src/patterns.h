/* Patterns across connections worth a finding: a SYN flood (many half-open
 * handshakes to one server port from many sources) and a port scan (one
 * host whose SYNs many ports refuse, or whose SYN+ACKs it resets).
 *
 * Counted in two small fixed tables keyed by a hash, a slot taken over
 * by whichever key arrives when its window has passed or another key
 * holds it: memory stays fixed whatever the capture holds, and a busy
 * capture may miss a pattern rather than grow. */
#ifndef PKL_PATTERNS_H
#define PKL_PATTERNS_H

#include <stdbool.h>
#include <stdint.h>

#include "findings.h"

struct pkl_patterns;

struct pkl_patterns *pkl_patterns_new(void);
void pkl_patterns_free(struct pkl_patterns *p);

/* addr: 4 or 16 bytes after family (4 or 6).  now_ns: capture time.
 * Each records a finding in found when a threshold is crossed (at it,
 * then at each doubling).  Every call counts: what is found does not
 * depend on the view. */

/* A SYN opened a handshake to server:port from client: syn_flood. */
void pkl_patterns_half_open(struct pkl_patterns *p, uint8_t family, const uint8_t *server,
			    uint16_t port, const uint8_t *client, uint64_t now_ns,
			    struct pkl_findings *found);
/* That handshake completed or was reset: no longer half-open. */
void pkl_patterns_half_open_done(struct pkl_patterns *p, uint8_t family, const uint8_t *server,
				 uint16_t port);
/* A SYN from prober to port was refused (RST), or the prober reset the
 * SYN+ACK it got: a probe, and port_scan. */
void pkl_patterns_probe(struct pkl_patterns *p, uint8_t family, const uint8_t *prober,
			uint16_t port, uint64_t now_ns, struct pkl_findings *found);

#endif
