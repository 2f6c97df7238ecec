/* The sending socket: libnet's advanced link-layer context, which takes
 * a whole frame and writes it on its interface as it is.
 *
 * Loopback is the exception.  A frame written at the link layer on lo
 * comes back in as if it had arrived from a wire, without the route the
 * kernel attaches to its own loopback traffic, and the kernel drops it
 * as a martian (a source of this host's, or a 127/8 destination,
 * arriving from outside).  There the IP datagram behind the zero-MAC
 * header is written to raw IP sockets (IPPROTO_RAW: the header as
 * given) instead, which the kernel routes as its own; the capture on lo
 * then sees the same bytes, zero MACs included.  Plain sockets, since
 * libnet offers no raw IPv6 write for a datagram built beforehand. */
#include "inject.h"

#include <arpa/inet.h>
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

#include "../../dissectors/eth.h"

struct pkl_inject {
	libnet_t *l;              /* NULL on loopback */
	int raw4, raw6;           /* loopback's raw IP sockets; -1 when not open */
	char iface[IFNAMSIZ];
};

/* Can frames go out on iface?  Asked of the kernel without privilege,
 * before libnet, whose own failures all end with errno lost: the
 * interface exists, carries Ethernet headers (the builders write one;
 * libnet would also open a tun device and send them as raw IP), and is
 * up. */
static bool
iface_usable(const char *iface, bool *loopback, char errbuf[PKL_ERRBUF_SIZE])
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
	else {
		*loopback = type == ARPHRD_LOOPBACK;
		return true;
	}
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

static void
no_permission(const char *iface, char errbuf[PKL_ERRBUF_SIZE])
{
	snprintf(errbuf, PKL_ERRBUF_SIZE,
		 "no permission to send on %s: run it with sudo, or give the binary the "
		 "capability once: sudo setcap cap_net_raw=ep \"$(command -v pktlens)\"", iface);
}

/* Loopback's raw IP sockets.  Without IPv6 in the kernel there is no
 * IPv6 socket, which only an IPv6 datagram would need. */
static int
open_loopback(struct pkl_inject *inj, char errbuf[PKL_ERRBUF_SIZE])
{
	inj->raw4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (inj->raw4 < 0) {
		if (errno == EPERM || errno == EACCES)
			no_permission(inj->iface, errbuf);
		else
			snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot open %s for sending: %s",
				 inj->iface, strerror(errno));
		return -1;
	}
	inj->raw6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	return 0;
}

struct pkl_inject *
pkl_inject_open(const char *iface, char errbuf[PKL_ERRBUF_SIZE])
{
	char lerr[LIBNET_ERRBUF_SIZE] = "";
	bool loopback;

	if (!iface_usable(iface, &loopback, errbuf))
		return NULL;
	struct pkl_inject *inj = calloc(1, sizeof *inj);
	if (!inj) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot open %s for sending: out of memory", iface);
		return NULL;
	}
	inj->raw4 = inj->raw6 = -1;
	memcpy(inj->iface, iface, strlen(iface));
	if (loopback) {
		if (open_loopback(inj, errbuf) < 0) {
			pkl_inject_close(inj);
			return NULL;
		}
		return inj;
	}
	inj->l = libnet_init(LIBNET_LINK_ADV, iface, lerr);
	if (!inj->l) {
		if (!may_open_packet_sockets())
			no_permission(iface, errbuf);
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

/* A loopback frame's IP datagram, to its destination through the raw
 * socket of its version.  Returns the bytes of the frame written (its
 * header counted, as libnet counts), or -1 with errno set. */
static int
write_loopback(struct pkl_inject *inj, const uint8_t *frame, size_t len)
{
	if (len < LIBNET_ETH_H) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	const uint8_t *ip = frame + LIBNET_ETH_H;
	size_t ip_len = len - LIBNET_ETH_H;
	uint16_t type = (uint16_t)(frame[12] << 8 | frame[13]);
	ssize_t sent;

	if (type == PKL_ETHERTYPE_IPV4 && ip_len >= LIBNET_IPV4_H) {
		struct sockaddr_in to = { .sin_family = AF_INET };
		memcpy(&to.sin_addr, ip + 16, 4);
		sent = sendto(inj->raw4, ip, ip_len, 0, (struct sockaddr *)&to, sizeof to);
	} else if (type == PKL_ETHERTYPE_IPV6 && ip_len >= LIBNET_IPV6_H && inj->raw6 >= 0) {
		struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
		memcpy(&to.sin6_addr, ip + 24, 16);
		sent = sendto(inj->raw6, ip, ip_len, 0, (struct sockaddr *)&to, sizeof to);
	} else {
		errno = type == PKL_ETHERTYPE_IPV6 ? EAFNOSUPPORT : EPROTONOSUPPORT;
		return -1;
	}
	return sent < 0 ? -1 : (int)sent + LIBNET_ETH_H;
}

/* The interface's MTU, or 0 when the kernel will not say. */
static int
iface_mtu(const struct pkl_inject *inj)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, inj->iface, sizeof ifr.ifr_name);
	return ioctl(inj->l ? libnet_getfd(inj->l) : inj->raw4, SIOCGIFMTU, &ifr) == 0
		? ifr.ifr_mtu : 0;
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
	int sent = inj->l ? libnet_adv_write_link(inj->l, frame, (uint32_t)len)
			  : write_loopback(inj, frame, len);
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
	case EAFNOSUPPORT:
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot send IPv6 on %s: IPv6 is off in "
			 "this kernel", iface);
		break;
	case EPROTONOSUPPORT:
		snprintf(errbuf, PKL_ERRBUF_SIZE, "%s takes IP datagrams only: ARP and other "
			 "link-layer frames have nowhere to go on loopback", iface);
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
	if (inj->l)
		libnet_destroy(inj->l);
	if (inj->raw4 >= 0)
		close(inj->raw4);
	if (inj->raw6 >= 0)
		close(inj->raw6);
	free(inj);
}
