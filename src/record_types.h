/* Values as records hold them (record.h, conn_record.h): what is not a
 * plain number or name. */
#ifndef PKL_RECORD_TYPES_H
#define PKL_RECORD_TYPES_H

#include <stdint.h>

/* A capture time. */
struct pkl_time {
	int64_t sec;
	uint32_t nsec;
};

/* An IPv4 or IPv6 address, and a port where there is one. */
struct pkl_endpoint {
	uint8_t addr[16];
	uint16_t port;
	uint8_t family;            /* 4 or 6 */
};

#endif
