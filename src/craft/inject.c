/* The sending socket: libnet's advanced link-layer context, which takes
 * a whole frame and writes it on its interface as it is. */
#include "inject.h"

#include <cap-ng.h>
#include <errno.h>
#include <libnet.h>
#include <linux/filter.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct pkl_inject {
	libnet_t *l;
	char iface[IFNAMSIZ];
};

/* Can frames go out on iface?  Asked of the kernel without privilege,
 * before libnet, whose own failures all end with errno lost: the
 * interface exists, carries Ethernet headers (the builders write one;
 * libnet would also open a tun device and send them as raw IP), and is
 * up. */
static bool
iface_usable(const char *iface, char errbuf[PKL_ERRBUF_SIZE])
{
	struct ifreq ifr;

	if (strlen(iface) >= sizeof ifr.ifr_name) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "there is no interface named %s (a name has at most %zu characters)",
			 iface, sizeof ifr.ifr_name - 1);
		return false;
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot ask the kernel about %s: %s", iface,
			 strerror(errno));
		return false;
	}
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, iface, strlen(iface));
	int rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	int err = errno;
	unsigned short type = ifr.ifr_hwaddr.sa_family;
	if (rc == 0) {
		rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
		err = errno;
	}
	close(fd);

	if (rc < 0 && (err == ENODEV || err == ENXIO))
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "there is no interface named %s; list them with: pktlens sniff -D", iface);
	else if (rc < 0)
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot ask the kernel about %s: %s", iface,
			 strerror(err));
	else if (type != ARPHRD_ETHER && type != ARPHRD_LOOPBACK)
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "interface %s carries no Ethernet header (ARPHRD type %u): pktlens "
			 "sends Ethernet frames, on Ethernet interfaces and loopback", iface, type);
	else if (!(ifr.ifr_flags & IFF_UP))
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "interface %s is down: bring it up with: sudo ip link set %s up", iface,
			 iface);
	else
		return true;
	return false;
}

static bool
may_open_packet_sockets(void)
{
	return capng_get_caps_process() == 0 &&
	       capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_RAW);
}

/* libnet opens its packet socket for every protocol (ETH_P_ALL) and
 * never binds it, so the kernel would queue it a copy of every frame on
 * every interface, for nobody to read.  A filter that keeps nothing
 * stops that (sending is not filtered); what came before it is drained. */
static int
stop_receiving(int fd)
{
	struct sock_filter keep_nothing = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &keep_nothing };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0)
		return -1;
	while (recv(fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC) >= 0)
		continue;
	return 0;
}

struct pkl_inject *
pkl_inject_open(const char *iface, char errbuf[PKL_ERRBUF_SIZE])
{
	char lerr[LIBNET_ERRBUF_SIZE] = "";

	if (!iface_usable(iface, errbuf))
		return NULL;
	struct pkl_inject *inj = calloc(1, sizeof *inj);
	if (!inj) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot open %s for sending: out of memory", iface);
		return NULL;
	}
	memcpy(inj->iface, iface, strlen(iface));
	inj->l = libnet_init(LIBNET_LINK_ADV, iface, lerr);
	if (!inj->l) {
		if (!may_open_packet_sockets())
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "no permission to send on %s: run it with sudo, or give the "
				 "binary the capability once: sudo setcap cap_net_raw=ep "
				 "\"$(command -v pktlens)\"", iface);
		else
			snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot open %s for sending: %s", iface,
				 lerr);
		free(inj);
		return NULL;
	}
	if (stop_receiving(libnet_getfd(inj->l)) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot make the sending socket on %s send-only: %s",
			 iface, strerror(errno));
		pkl_inject_close(inj);
		return NULL;
	}
	return inj;
}

/* The interface's MTU, or 0 when the kernel will not say. */
static int
iface_mtu(const struct pkl_inject *inj)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, inj->iface, sizeof ifr.ifr_name);
	return ioctl(libnet_getfd(inj->l), SIOCGIFMTU, &ifr) == 0 ? ifr.ifr_mtu : 0;
}

int
pkl_inject_write(struct pkl_inject *inj, const uint8_t *frame, size_t len,
		 char errbuf[PKL_ERRBUF_SIZE])
{
	if (len > INT32_MAX) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "a %zu-byte frame is too large to send", len);
		return -1;
	}
	errno = 0;
	int sent = libnet_adv_write_link(inj->l, frame, (uint32_t)len);
	int err = errno;
	if (sent == (int)len)
		return 0;

	const char *iface = inj->iface;
	switch (err) {
	case EMSGSIZE: {
		int mtu = iface_mtu(inj);
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "a %zu-byte frame is larger than %s takes (MTU %d: frames of %d bytes "
			 "with the Ethernet header): send less, or fragment it", len, iface, mtu,
			 mtu + LIBNET_ETH_H);
		break;
	}
	case ENETDOWN:
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "interface %s is down: bring it up with: sudo ip link set %s up", iface,
			 iface);
		break;
	case ENODEV:
	case ENXIO:
		snprintf(errbuf, PKL_ERRBUF_SIZE, "interface %s has gone away", iface);
		break;
	case ENOBUFS:
	case EAGAIN:
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the kernel's queue for %s is full: send more slowly", iface);
		break;
	default:
		if (sent >= 0)
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "only %d bytes of a %zu-byte frame went out on %s", sent, len,
				 iface);
		else
			snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot send a %zu-byte frame on %s: %s",
				 len, iface, strerror(err));
		break;
	}
	return -1;
}

void
pkl_inject_close(struct pkl_inject *inj)
{
	if (!inj)
		return;
	libnet_destroy(inj->l);
	free(inj);
}
