/* The journey demonstration's DNS messages (RFC 1035 4.1): the stub
 * resolver's query, the server's answer, and the resolver reading it.
 * Pure functions over byte buffers, no sockets. */
#ifndef PKL_DEMO_JOURNEY_DNS_H
#define PKL_DEMO_JOURNEY_DNS_H

#include <stddef.h>
#include <stdint.h>

/* A query for name's A record (recursion desired) in buf: its length,
 * or 0 when it does not fit or the name is not a host name. */
size_t pkl_journey_dns_query(uint8_t *buf, size_t size, uint16_t id, const char *name);

/* The answer to query (its n bytes) in buf: addr (4 bytes) for an A
 * question for name, NXDomain for any other question, ttl seconds.
 * Its length, or 0 when query is not a one-question query. */
size_t pkl_journey_dns_answer(uint8_t *buf, size_t size, const uint8_t *query, size_t n,
			      const char *name, const uint8_t addr[4], uint32_t ttl);

/* The first A record of the answer to query id in msg, in addr.
 * Returns 0, or -1 when msg is not that answer or holds none. */
int pkl_journey_dns_read(const uint8_t *msg, size_t n, uint16_t id, uint8_t addr[4]);

#endif
