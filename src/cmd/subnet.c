/* `pktlens subnet`: the arithmetic of an address and its prefix, with
 * the bits shown, and whether a second address is on the same link
 * (ARP for it) or behind the gateway (ARP for the gateway). */
#include <stdio.h>
#include <string.h>

#include "../json.h"
#include "../subnet.h"
#include "common.h"

struct subnet_args {
	bool json;
};

static const struct pkl_option subnet_options[] = {
	{ 'j', "json", NULL, false, "the same as one JSON object" },
	{ 0, NULL, NULL, false, NULL },
};

static int
subnet_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct subnet_args *a = target;

	(void)value;
	(void)p;
	if (key == 'j')
		a->json = true;
	return 0;
}

/* ---- text ---------------------------------------------------------------- */

/* An IPv4 address in binary, octets split by dots, and the network's
 * bits split from the host's by '|' (in place of the dot when the
 * boundary falls between octets). */
static void
out_binary(struct pkl_out *o, const struct pkl_addr *a, unsigned prefix)
{
	for (unsigned bit = 0; bit < 32; bit++) {
		if (bit == prefix)
			pkl_out_char(o, '|');
		else if (bit && bit % 8 == 0)
			pkl_out_char(o, '.');
		pkl_out_char(o, a->v4[bit / 8] & (0x80 >> (bit % 8)) ? '1' : '0');
	}
	if (prefix == 32)
		pkl_out_char(o, '|');
}

/* "Label        text" and, for IPv4, the binary at a column of its own. */
static void
line(struct pkl_out *o, const char *label, const char *text, const struct pkl_addr *binary,
     unsigned prefix)
{
	pkl_out_printf(o, "%-12s %s", label, text);
	if (binary && binary->family == 4) {
		pkl_out_spaces(o, (unsigned)(strlen(text) < 22 ? 22 - strlen(text) : 1));
		out_binary(o, binary, prefix);
	}
	pkl_out_char(o, '\n');
}

static void
print_text(struct pkl_out *o, const struct pkl_subnet *s)
{
	char a[PKL_PREFIX_TEXT + 8], hosts[PKL_SUBNET_HOSTS_TEXT];
	unsigned bits = pkl_addr_bits(s->addr.family), host_bits = bits - s->prefix;
	bool v4 = s->addr.family == 4;

	pkl_addr_format(&s->addr, a, sizeof a);
	line(o, "Address", a, &s->addr, s->prefix);
	pkl_addr_format(&s->mask, a, sizeof a);
	snprintf(a + strlen(a), sizeof a - strlen(a), " = /%u", s->prefix);
	line(o, "Netmask", a, &s->mask, s->prefix);
	if (v4) {
		pkl_addr_format(&s->wildcard, a, sizeof a);
		line(o, "Wildcard", a, &s->wildcard, s->prefix);
	}
	pkl_addr_format_prefix(&s->network, s->prefix, a, sizeof a);
	line(o, "Network", a, &s->network, s->prefix);
	if (s->has_broadcast) {
		pkl_addr_format(&s->last, a, sizeof a);
		line(o, "Broadcast", a, &s->last, s->prefix);
	} else if (v4) {
		line(o, "Broadcast", host_bits == 1 ?
		     "none: a /31 is a point-to-point link (RFC 3021)" :
		     "none: a /32 is one host (a host route)", NULL, 0);
	} else {
		pkl_addr_format(&s->last, a, sizeof a);
		line(o, "Last address", a, NULL, 0);
	}
	pkl_addr_format(&s->first_host, a, sizeof a);
	line(o, "First host", a, NULL, 0);
	pkl_addr_format(&s->last_host, a, sizeof a);
	line(o, "Last host", a, NULL, 0);
	pkl_subnet_hosts_text(s, hosts, sizeof hosts);
	pkl_out_printf(o, "%-12s %s ", "Hosts", hosts);
	if (host_bits == 0)
		pkl_out_str(o, "(the address alone)\n");
	else if (host_bits == 1)
		pkl_out_printf(o, "(both addresses: %s)\n",
			       v4 ? "RFC 3021's point-to-point /31" : "RFC 6164's point-to-point /127");
	else
		pkl_out_printf(o, "(2^%u addresses, less %s)\n", host_bits,
			       v4 ? "the network and the broadcast" :
			       "the network's, the Subnet-Router anycast");
	if (v4) {
		static const char *const classes[] = {
			"A (first bit 0: 0-127, a /8 each)", "B (first bits 10: 128-191, a /16 each)",
			"C (first bits 110: 192-223, a /24 each)",
			"D (first bits 1110: 224-239, multicast)",
			"E (first bits 1111: 240-255, reserved)",
		};
		pkl_out_printf(o, "%-12s %s; historic: classless (CIDR) since 1993\n", "Class",
			       classes[s->class - 'A']);
	} else {
		struct pkl_addr n64 = pkl_addr_network(&s->addr, 64);
		pkl_addr_format_prefix(&n64, 64, a, sizeof a);
		if (s->prefix < 64)
			pkl_out_printf(o, "%-12s 2^%u /64 subnets; the address's is %s\n", "/64",
				       64 - s->prefix, a);
		else if (s->prefix == 64)
			pkl_out_printf(o, "%-12s the standard subnet: 64 host bits, as SLAAC needs\n",
				       "/64");
		else
			pkl_out_printf(o, "%-12s longer than /64, within %s: no SLAAC here\n", "/64", a);
	}
	pkl_out_printf(o, "%-12s %s\n", "Range", pkl_subnet_range_sentence(s->range));
}

/* "192.168.12.7 AND 255.255.255.0 = 192.168.12.0" for both addresses,
 * then the verdict. */
static void
print_peer(struct pkl_out *o, const struct pkl_subnet *s, const struct pkl_addr *peer, bool same)
{
	char a[PKL_ADDR_TEXT], p[PKL_ADDR_TEXT], m[PKL_ADDR_TEXT], n[PKL_ADDR_TEXT];
	struct pkl_addr peer_net = pkl_addr_network(peer, s->prefix);
	int w;

	pkl_addr_format(&s->addr, a, sizeof a);
	pkl_addr_format(peer, p, sizeof p);
	pkl_addr_format(&s->mask, m, sizeof m);
	w = (int)(strlen(a) > strlen(p) ? strlen(a) : strlen(p));
	pkl_addr_format(&s->network, n, sizeof n);
	pkl_out_printf(o, "\n%-*s AND %s = %s\n", w, a, m, n);
	pkl_addr_format(&peer_net, n, sizeof n);
	pkl_out_printf(o, "%-*s AND %s = %s\n", w, p, m, n);
	const char *ask = s->addr.family == 4 ? "ARPs for" : "sends its neighbour solicitation for";
	if (same)
		pkl_out_printf(o, "Same subnet: %s reaches %s on the link; it %s %s itself\n", a, p,
			       ask, p);
	else
		pkl_out_printf(o, "Different subnets: %s reaches %s through its gateway; it %s "
			       "the gateway, not for %s\n", a, p, ask, p);
}

/* ---- JSON ---------------------------------------------------------------- */

static void
json_addr(struct pkl_json *j, const struct pkl_addr *a)
{
	pkl_json_address(j, a->family, a->v6);
}

/* {"address", "network", "prefix", "netmask", "wildcard", "broadcast",
 * "first_host", "last_host", "hosts", "class", "range", IPv6's
 * "subnet_64", and with a peer "peer", "same_subnet", "arp_for"}. */
static void
print_json(struct pkl_out *o, const struct pkl_subnet *s, const struct pkl_addr *peer, bool same)
{
	struct pkl_json j;
	char hosts[PKL_SUBNET_HOSTS_TEXT];

	pkl_json_init(&j, o);
	pkl_json_object_open(&j);
	PKL_JSON_KEY(&j, "address");
	json_addr(&j, &s->addr);
	PKL_JSON_KEY(&j, "network");
	json_addr(&j, &s->network);
	PKL_JSON_KEY(&j, "prefix");
	pkl_json_u64(&j, s->prefix);
	PKL_JSON_KEY(&j, "netmask");
	json_addr(&j, &s->mask);
	PKL_JSON_KEY(&j, "wildcard");
	json_addr(&j, &s->wildcard);
	PKL_JSON_KEY(&j, "broadcast");
	if (s->has_broadcast)
		json_addr(&j, &s->last);
	else
		pkl_json_null(&j);
	PKL_JSON_KEY(&j, "first_host");
	json_addr(&j, &s->first_host);
	PKL_JSON_KEY(&j, "last_host");
	json_addr(&j, &s->last_host);
	PKL_JSON_KEY(&j, "hosts");
	pkl_subnet_hosts_text(s, hosts, sizeof hosts);
	pkl_out_str(o, hosts);
	PKL_JSON_KEY(&j, "class");
	if (s->class) {
		char c[2] = { s->class, '\0' };
		pkl_json_name(&j, c);
	} else {
		pkl_json_null(&j);
	}
	PKL_JSON_KEY(&j, "range");
	pkl_json_name(&j, pkl_subnet_range_name(s->range));
	if (s->addr.family == 6) {
		char n[PKL_PREFIX_TEXT];
		struct pkl_addr n64 = pkl_addr_network(&s->addr, 64);
		pkl_addr_format_prefix(&n64, 64, n, sizeof n);
		PKL_JSON_KEY(&j, "subnet_64");
		pkl_json_string(&j, n);
	}
	if (peer) {
		PKL_JSON_KEY(&j, "peer");
		json_addr(&j, peer);
		PKL_JSON_KEY(&j, "same_subnet");
		pkl_json_bool(&j, same);
		PKL_JSON_KEY(&j, "arp_for");
		if (same)
			json_addr(&j, peer);
		else
			pkl_json_name(&j, "gateway");
	}
	pkl_json_object_close(&j);
	pkl_out_char(o, '\n');
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct subnet_args a = { false };
	const struct pkl_opt_group groups[] = {
		{ "Output", subnet_options, subnet_apply, NULL, &a },
	};
	char errbuf[PKL_ERRBUF_SIZE];
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	if (first >= argc)
		return pkl_cmd_usage_error(cmd, "which address and prefix? (pktlens subnet "
					   "192.168.12.87/24)");
	if (argc - first > 2)
		return pkl_cmd_usage_error(cmd, "an address/prefix and at most one more address: "
					   "'%s' is one too many", argv[first + 2]);
	struct pkl_addr addr, peer;
	unsigned prefix;
	if (pkl_subnet_parse(argv[first], &addr, &prefix, errbuf) < 0)
		return pkl_cmd_usage_error(cmd, "%s", errbuf);
	bool has_peer = argc - first == 2;
	if (has_peer && pkl_addr_parse(argv[first + 1], &peer) < 0)
		return pkl_cmd_usage_error(cmd, "'%.64s' is not an IPv4 or IPv6 address",
					   argv[first + 1]);
	if (has_peer && peer.family != addr.family)
		return pkl_cmd_usage_error(cmd, "'%.64s' and '%.64s' are of different families "
					   "(IPv4 and IPv6): a subnet holds one", argv[first],
					   argv[first + 1]);

	struct pkl_subnet s;
	pkl_subnet_compute(&addr, prefix, &s);
	bool same = has_peer && pkl_subnet_holds(&s, &peer);
	struct pkl_out out;
	if ((status = pkl_cmd_stdout_open(&out, 0, false)) != 0)
		return status;
	if (a.json) {
		print_json(&out, &s, has_peer ? &peer : NULL, same);
	} else {
		print_text(&out, &s);
		if (has_peer)
			print_peer(&out, &s, &peer, same);
	}
	return pkl_cmd_stdout_close(&out);
}

const struct pkl_command pkl_cmd_subnet = {
	.name = "subnet",
	.synopsis = "[options] ADDRESS/PREFIX [PEER]",
	.summary = "subnet arithmetic; PEER on the link or behind the gateway",
	.description =
		"The arithmetic of an address and its prefix (or dotted netmask): the mask in\n"
		"dotted and binary form with the network's bits marked, the wildcard, the network\n"
		"(address AND mask), the broadcast, the first and last host and their count (/31\n"
		"and /32 as RFC 3021's point-to-point links and host routes), the historic class\n"
		"and the special range the address is in. IPv6 too, with its /64 boundary.\n"
		"With PEER: both ANDed with the mask, and so whether a host sends to PEER on the\n"
		"link (ARP, or neighbour solicitation, for PEER) or through its gateway.",
	.run = run,
};
