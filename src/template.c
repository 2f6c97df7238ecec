/* Sentence templates shared by the event and note tables. */
#include "template.h"

#include <string.h>

#include "out.h"
#include "tcp_state.h"
#include "services.h"

static void
template_value(struct pkl_out *o, char spec, uint64_t v)
{
	const char *service;
	uint8_t mac[6];

	switch (spec) {
	case 'x':
		pkl_out_hex(o, v, 0);
		break;
	case 'i': {
		uint8_t a[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
		pkl_out_ipv4(o, a);
		break;
	}
	case 'm':
		for (int i = 0; i < 6; i++)
			mac[i] = (uint8_t)(v >> (40 - 8 * i));
		pkl_out_mac(o, mac);
		break;
	case 'u':   /* microseconds, read as milliseconds */
		pkl_out_ms(o, v);
		pkl_out_str(o, " ms");
		break;
	case 'r':
	case 'o':   /* a role, or the other role */
		pkl_out_str(o, (v == 0) == (spec == 'r') ? "client" : "server");
		break;
	case 't':
		pkl_out_str(o, pkl_tcp_state_name((enum pkl_tcp_state)v));
		break;
	case 's':
		pkl_out_str(o, (const char *)(uintptr_t)v);
		break;
	case 'p':
		service = pkl_service_name((uint16_t)v);
		pkl_out_str(o, service ? service : "unassigned");
		break;
	default:
		pkl_out_u64(o, v);
		break;
	}
}

size_t
pkl_template_fill(const char *tmpl, const uint64_t *arg, unsigned n_args,
		  char *buf, size_t size)
{
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, size);
	for (const char *p = tmpl; *p; p++) {
		/* The text up to the next brace in one copy: sentences are
		 * long, placeholders few. */
		size_t run = strcspn(p, "{");
		pkl_out_mem(&o, p, run);
		p += run;
		if (!*p)
			break;
		if (p[1] >= '0' && p[1] < (char)('0' + n_args)) {
			uint64_t v = arg[p[1] - '0'];
			char spec = p[2] == '}' ? 'd' : p[2];
			/* p[3] only when p[2] is not the end: "{0" can end a template. */
			if (spec == 'd' || (spec && p[3] == '}')) {
				template_value(&o, spec, v);
				p += spec == 'd' ? 2 : 3;
				continue;
			}
		}
		pkl_out_char(&o, *p);
	}
	return pkl_out_finish_fixed(&o);
}
