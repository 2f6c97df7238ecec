#ifndef PKL_TEMPLATE_H
#define PKL_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

/* Fill a template: {N} is argument N in decimal, {Nx} in hex, {Ni} an
 * IPv4 address, {Nm} a MAC address (the low 48 bits), {Nu} microseconds
 * shown as milliseconds, {Np} the service on port N, {Nr} a role
 * (0 client, 1 server), {No} the other role, {Nt} a TCP state name,
 * {Ns} the NUL-terminated string whose address the argument holds (for
 * sentences filled at once, never for arguments kept with a packet).
 * Shared with the note table. */
size_t pkl_template_fill(const char *tmpl, const uint64_t *arg, unsigned n_args,
			 char *buf, size_t size);

#endif
