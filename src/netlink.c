/* One netlink exchange over libmnl. */
#include "netlink.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nlmsghdr *
pkl_netlink_header(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = 1;     /* one request per socket: any number will do */
	return nlh;
}

struct exchange {
	mnl_cb_t cb;
	void *data;
	int *refusal;
};

static int
data_message(const struct nlmsghdr *nlh, void *data)
{
	const struct exchange *x = data;

	return x->cb(nlh, x->data);
}

/* NLMSG_ERROR: an acknowledgment (error 0) ends a get; a refusal ends
 * it too when the caller takes refusals as answers. */
static int
error_message(const struct nlmsghdr *nlh, void *data)
{
	const struct exchange *x = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof *err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0)
		return MNL_CB_STOP;
	if (x->refusal) {
		*x->refusal = -err->error;
		return MNL_CB_STOP;
	}
	errno = -err->error;
	return MNL_CB_ERROR;
}

static int
done_message(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static int
fail(const char *what, char errbuf[PKL_ERRBUF_SIZE])
{
	if (errno == EINTR)     /* NLM_F_DUMP_INTR: the table changed while it was read */
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "%s: the kernel's table changed while it was read; try again", what);
	else
		snprintf(errbuf, PKL_ERRBUF_SIZE, "%s: %s", what, strerror(errno));
	return -1;
}

int
pkl_netlink_exchange(int bus, struct nlmsghdr *req, mnl_cb_t cb, void *data, int *refusal,
		     const char *what, char errbuf[PKL_ERRBUF_SIZE])
{
	/* Every control message goes through this array (an empty slot
	 * is skipped), so the end of a dump is in it too. */
	mnl_cb_t control[NLMSG_MIN_TYPE] = {   /* not const: libmnl takes it so */
		[NLMSG_ERROR] = error_message, [NLMSG_DONE] = done_message,
	};
	struct exchange x = { cb, data, refusal };
	struct mnl_socket *nl = mnl_socket_open(bus);
	char *buf = malloc(PKL_NETLINK_BUFFER);
	int ret = -1;

	if (refusal)
		*refusal = 0;
	if (!nl || !buf || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		fail(what, errbuf);
		goto out;
	}
	unsigned portid = mnl_socket_get_portid(nl);
	/* Until the dump's NLMSG_DONE or the get's acknowledgment
	 * (MNL_CB_STOP), or an error (-1, errno set). */
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, PKL_NETLINK_BUFFER);
		int run = n < 0 ? -1 : mnl_cb_run2(buf, (size_t)n, req->nlmsg_seq, portid,
						   data_message, &x, control, NLMSG_MIN_TYPE);
		if (run < 0) {
			fail(what, errbuf);
			goto out;
		}
		if (run == MNL_CB_STOP)
			break;
	}
	ret = 0;
out:
	free(buf);
	if (nl)
		mnl_socket_close(nl);
	return ret;
}

struct attrs {
	const struct nlattr **tb;
	uint16_t max;
};

static int
collect_attr(const struct nlattr *a, void *data)
{
	const struct attrs *at = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= at->max)
		at->tb[type] = a;
	return MNL_CB_OK;
}

int
pkl_netlink_parse(const struct nlmsghdr *nlh, size_t header, const struct nlattr **tb, uint16_t max)
{
	struct attrs at = { tb, max };

	memset(tb, 0, (max + 1u) * sizeof *tb);
	if (nlh->nlmsg_len < mnl_nlmsg_size(header) ||
	    mnl_attr_parse(nlh, (unsigned)header, collect_attr, &at) < 0) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int
pkl_netlink_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
		errno = EPROTO;
		return -1;
	}
	*v = mnl_attr_get_u32(a);
	return 1;
}

int
pkl_netlink_addr(const struct nlattr *a, int family, struct pkl_addr *out)
{
	if (!a)
		return 0;
	if (mnl_attr_get_payload_len(a) != pkl_addr_size(family)) {
		errno = EPROTO;
		return -1;
	}
	*out = (struct pkl_addr){ .family = family };
	memcpy(out->v6, mnl_attr_get_payload(a), pkl_addr_size(family));
	return 1;
}
