/* Writes one frame of each kind src/craft/frame.h builds to a pcap file,
 * for tests/frames.sh to hand to tshark: ARP (request, probe,
 * announcement, reply), ICMP echo, a ping too large for the MTU in its
 * fragments, ICMPv6 echo, neighbour solicitation, TCP over IPv4 and IPv6
 * (a SYN with Linux's options, data with odd lengths), and an echo on
 * loopback with its zero MACs.
 *
 *   build/tests/craft-frames FILE.pcap
 *
 * Prints "NUMBER NAME" per frame, so a failure can be named. */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/craft/frame.h"

#define MAX_FRAGS 64

static const uint8_t mac_a[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_b[6] = { 0x52, 0x54, 0x00, 0x65, 0x43, 0x21 };
static const uint8_t ip_a[4] = { 10, 77, 1, 1 };
static const uint8_t ip_b[4] = { 10, 77, 1, 2 };
static const uint8_t ip6_a[16] = { 0xfd, 0x77, [15] = 1 };
static const uint8_t ip6_b[16] = { 0xfd, 0x77, [15] = 2 };

static pcap_dumper_t *dumper;
static unsigned frames;
static char errbuf[PKL_ERRBUF_SIZE];

/* Write a built frame (len from a builder: -1 is its failure). */
static void
put(const char *name, const uint8_t *frame, int len)
{
	if (len < 0) {
		fprintf(stderr, "craft-frames: %s: %s\n", name, errbuf);
		exit(1);
	}
	frames++;
	struct pcap_pkthdr h = { .ts = { .tv_sec = 1700000000, .tv_usec = frames },
				 .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };
	pcap_dump((u_char *)dumper, &h, frame);
	printf("%u %s\n", frames, name);
}

static struct pkl_frame_ip
ip4(void)
{
	struct pkl_frame_ip ip = { .src.family = 4, .dst.family = 4,
				   .ttl = PKL_FRAME_TTL, .id = 0x1c46 };
	memcpy(ip.src.v4, ip_a, 4);
	memcpy(ip.dst.v4, ip_b, 4);
	return ip;
}

static struct pkl_frame_ip
ip6(void)
{
	struct pkl_frame_ip ip = { .src.family = 6, .dst.family = 6,
				   .ttl = PKL_FRAME_TTL };
	memcpy(ip.src.v6, ip6_a, 16);
	memcpy(ip.dst.v6, ip6_b, 16);
	return ip;
}

static void
arps(uint8_t *buf)
{
	static const struct {
		const char *name;
		enum pkl_arp_kind kind;
	} kinds[] = {
		{ "arp-request", PKL_ARP_REQUEST },
		{ "arp-probe", PKL_ARP_PROBE },
		{ "arp-announcement", PKL_ARP_GRATUITOUS },
		{ "arp-reply", PKL_ARP_REPLY },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct pkl_frame_arp arp = { .kind = kinds[i].kind };
		memcpy(arp.sender_mac, mac_a, 6);
		memcpy(arp.sender_ip, ip_a, 4);
		memcpy(arp.target_mac, mac_b, 6);
		memcpy(arp.target_ip, ip_b, 4);
		put(kinds[i].name, buf, pkl_frame_build_arp(&arp, buf, PKL_FRAME_MAX, errbuf));
	}
}

static void
pings(uint8_t *buf, uint8_t *frag)
{
	struct pkl_frame_eth eth;
	struct pkl_frame_echo echo = { .ident = 0x4242, .seq = 1, .size = PKL_FRAME_ECHO_SIZE,
				       .sent = { 1700000000, 123456 } };
	memcpy(eth.src, mac_a, 6);
	memcpy(eth.dst, mac_b, 6);

	struct pkl_frame_ip ip = ip4();
	ip.df = true;
	put("icmp-echo", buf, pkl_frame_build_echo(&eth, &ip, &echo, buf, PKL_FRAME_MAX, errbuf));

	/* ping -s 3000 over a 1500-byte MTU: three fragments. */
	struct pkl_frame_frag plan[MAX_FRAGS];
	ip = ip4();
	echo.seq = 2;
	echo.size = 3000;
	int len = pkl_frame_build_echo(&eth, &ip, &echo, buf, PKL_FRAME_MAX, errbuf);
	if (len < 0)
		put("icmp-echo-3000", buf, len);
	int n = pkl_frame_plan_fragments((size_t)len - 34, 20, 1500, plan, MAX_FRAGS, errbuf);
	if (n < 0)
		put("fragment plan", buf, n);
	for (int i = 0; i < n; i++)
		put("icmp-echo-3000-fragment", frag,
		    pkl_frame_build_fragment(buf, (size_t)len, &plan[i], frag, PKL_FRAME_MAX,
					     errbuf));

	ip = ip6();
	echo.seq = 3;
	echo.size = PKL_FRAME_ECHO_SIZE;
	put("icmpv6-echo", buf, pkl_frame_build_echo(&eth, &ip, &echo, buf, PKL_FRAME_MAX, errbuf));

	/* Loopback: zero MACs, as lo's frames carry them. */
	struct pkl_frame_eth lo = { { 0 }, { 0 } };
	ip = ip4();
	memcpy(ip.dst.v4, (uint8_t[]){ 127, 0, 0, 1 }, 4);
	memcpy(ip.src.v4, (uint8_t[]){ 127, 0, 0, 1 }, 4);
	echo.seq = 4;
	put("icmp-echo-loopback", buf, pkl_frame_build_echo(&lo, &ip, &echo, buf, PKL_FRAME_MAX, errbuf));
}

static void
tcps(uint8_t *buf)
{
	struct pkl_frame_eth eth;
	uint8_t syn_options[PKL_FRAME_SYN_OPTIONS_LEN];
	memcpy(eth.src, mac_a, 6);
	memcpy(eth.dst, mac_b, 6);

	struct pkl_frame_ip ip = ip4();
	ip.df = true;
	pkl_frame_syn_options(syn_options, pkl_frame_mss(1500, 4), 123456, 7);
	struct pkl_frame_tcp syn = { .sport = 40000, .dport = 8080, .seq = 0x11223344,
				     .flags = PKL_TCP_SYN, .window = 64240,
				     .options = syn_options, .options_len = sizeof syn_options };
	put("tcp-syn", buf, pkl_frame_build_tcp(&eth, &ip, &syn, buf, PKL_FRAME_MAX, errbuf));

	ip = ip6();
	pkl_frame_syn_options(syn_options, pkl_frame_mss(1500, 6), 123456, 7);
	put("tcp6-syn", buf, pkl_frame_build_tcp(&eth, &ip, &syn, buf, PKL_FRAME_MAX, errbuf));

	/* Data of odd length behind options of odd length (padded). */
	static const uint8_t hello[] = "hello, world\n";
	static const uint8_t ts[] = { 1, 1, 8, 10, 0, 1, 0xe2, 0x40, 0, 0, 0x30, 0x39, 1 };
	struct pkl_frame_tcp data = { .sport = 40000, .dport = 8080, .seq = 0x11223345,
				      .ack = 0x55667788, .flags = PKL_TCP_PSH | PKL_TCP_ACK,
				      .window = 502, .options = ts, .options_len = sizeof ts,
				      .payload = hello, .payload_len = sizeof hello - 1 };
	ip = ip4();
	put("tcp-data", buf, pkl_frame_build_tcp(&eth, &ip, &data, buf, PKL_FRAME_MAX, errbuf));
	ip = ip6();
	put("tcp6-data", buf, pkl_frame_build_tcp(&eth, &ip, &data, buf, PKL_FRAME_MAX, errbuf));

	/* Every flag libnet carries, no options. */
	struct pkl_frame_tcp all = { .sport = 1, .dport = 2, .seq = 3, .ack = 4, .flags = 0xff,
				     .window = 5, .urg = 6 };
	ip = ip4();
	put("tcp-all-flags", buf, pkl_frame_build_tcp(&eth, &ip, &all, buf, PKL_FRAME_MAX, errbuf));
}

static void
solicitations(uint8_t *buf)
{
	static const uint8_t unspecified[16];
	put("icmpv6-ns", buf, pkl_frame_build_ns(mac_a, ip6_a, ip6_b, buf, PKL_FRAME_MAX, errbuf));
	put("icmpv6-ns-dad", buf,
	    pkl_frame_build_ns(mac_a, unspecified, ip6_b, buf, PKL_FRAME_MAX, errbuf));
}

int
main(int argc, char **argv)
{
	static uint8_t buf[PKL_FRAME_MAX], frag[PKL_FRAME_MAX];

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.pcap\n", argv[0]);
		return 2;
	}
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, PKL_FRAME_MAX);
	dumper = dead ? pcap_dump_open(dead, argv[1]) : NULL;
	if (!dumper) {
		fprintf(stderr, "craft-frames: cannot write %s: %s\n", argv[1],
			dead ? pcap_geterr(dead) : "pcap_open_dead failed");
		return 1;
	}
	arps(buf);
	pings(buf, frag);
	solicitations(buf);
	tcps(buf);
	pcap_dump_close(dumper);
	pcap_close(dead);
	return 0;
}
