/* Sends one ARP request built by src/craft/frame.c through
 * src/craft/inject.c, for tests/net/inject.sh: the injector is opened,
 * every capability given up, then the frame written.
 *
 *   build/tests/craft-arp IFACE SENDER_MAC SENDER_IP TARGET_IP [FRAME_SIZE]
 *
 * FRAME_SIZE pads the frame with zeros (ARP ignores them), to reach an
 * interface's MTU or pass it.  Exits 0 when the frame went out, 1 with
 * the library's sentence on standard error, 2 on bad arguments. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/craft/frame.h"
#include "../src/craft/inject.h"
#include "../src/privilege.h"

static int
fail(const char *errbuf)
{
	fprintf(stderr, "craft-arp: %s\n", errbuf);
	return 1;
}

int
main(int argc, char **argv)
{
	static uint8_t frame[PKL_FRAME_MAX];
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_frame_arp arp = { .kind = PKL_ARP_REQUEST };
	uint8_t *m = arp.sender_mac;
	char extra;
	long size = 0;

	if ((argc != 5 && argc != 6) ||
	    sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx%c", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5], &extra) != 6 ||
	    inet_pton(AF_INET, argv[3], arp.sender_ip) != 1 ||
	    inet_pton(AF_INET, argv[4], arp.target_ip) != 1 ||
	    (argc == 6 && ((size = strtol(argv[5], NULL, 10)) <= 0 || size > PKL_FRAME_MAX))) {
		fprintf(stderr, "usage: %s IFACE SENDER_MAC SENDER_IP TARGET_IP [FRAME_SIZE]\n",
			argv[0]);
		return 2;
	}
	int len = pkl_frame_build_arp(&arp, frame, sizeof frame, errbuf);
	if (len < 0)
		return fail(errbuf);
	if (size > len)
		len = (int)size;   /* the buffer is zeroed beyond the frame */

	struct pkl_inject *inj = pkl_inject_open(argv[1], errbuf);
	if (!inj)
		return fail(errbuf);
	int rc = 0;
	if (pkl_privilege_drop_capabilities(errbuf) < 0 ||
	    pkl_inject_write(inj, frame, (size_t)len, errbuf) < 0)
		rc = fail(errbuf);
	pkl_inject_close(inj);
	return rc;
}
