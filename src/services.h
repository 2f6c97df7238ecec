/* Well-known port names, for explanations only (never for decoding). */
#ifndef PKL_SERVICES_H
#define PKL_SERVICES_H

#include <stdint.h>

#include "out.h"

/* "HTTP (the web)" etc., or NULL when the port has no well-known use. */
const char *pkl_service_name(uint16_t port);
/* " (HTTP (the web))" after a server's endpoint, or nothing when the
 * port has no well-known use. */
void pkl_service_append(struct pkl_out *o, uint16_t port);

#endif
