/* One netlink exchange (a dump or a get) over libmnl, shared by the
 * route and neighbour lookups (rtnetlink) and the socket table
 * (sock_diag).
 *
 * Why libmnl: it is the small library nftables and iproute2's tools
 * build on, and it does the parts hand-written netlink gets wrong:
 * message alignment and lengths, attribute walking with type and length
 * validation, sequence and port checks on every answer, multi-part
 * dumps, and the kernel's errors turned into errno. */
#ifndef PKL_NETLINK_H
#define PKL_NETLINK_H

#include <libmnl/libmnl.h>

#include "capture.h"
#include "craft/addr.h"

/* Large enough for one datagram of any dump: the kernel sizes a dump's
 * datagrams after the reader's buffer, up to 32 KiB. */
#define PKL_NETLINK_BUFFER 32768

/* A request's header at the start of buf (aligned for it, with room
 * for the request): type (RTM_GET*, SOCK_DIAG_BY_FAMILY) and flags
 * (NLM_F_DUMP, or NLM_F_ACK for a get). */
struct nlmsghdr *pkl_netlink_header(char *buf, uint16_t type, uint16_t flags);

/* Send req on a socket of its own on the netlink bus (NETLINK_ROUTE,
 * NETLINK_SOCK_DIAG) and hand every message of the answer
 * to cb (MNL_CB_OK to go on, MNL_CB_ERROR with errno set to fail).
 * When the kernel refuses the request (an error message: ENETUNREACH
 * for a route get with no route, say), that is an answer when refusal
 * is not NULL: its errno goes there and the exchange succeeds; else it
 * fails like any other error.  Returns 0, or -1 with a sentence in
 * errbuf that starts with what ("cannot read the routes"). */
int pkl_netlink_exchange(int bus, struct nlmsghdr *req, mnl_cb_t cb, void *data,
			  int *refusal, const char *what, char errbuf[PKL_ERRBUF_SIZE]);

/* A message's attributes by type in tb[0..max] (NULL when absent; the
 * types of a newer kernel past max skipped), after checking that the
 * message holds its family header (header bytes).  Returns -1 (errno
 * EPROTO) when the message is malformed. */
int pkl_netlink_parse(const struct nlmsghdr *nlh, size_t header, const struct nlattr **tb,
		   uint16_t max);

/* The readers of one attribute: 1 with the value when it is there and
 * well formed, 0 when it is absent, -1 (errno EPROTO) when it is
 * malformed.  An address must have the family's size. */
int pkl_netlink_u32(const struct nlattr *a, uint32_t *v);
int pkl_netlink_addr(const struct nlattr *a, int family, struct pkl_addr *out);

#endif
