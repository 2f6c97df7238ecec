/* The input stage over libpcap: saved files and live interfaces, and the
 * pcap writer for `sniff -w`.
 *
 * Files are opened through our own FILE with a 64 KiB buffer
 * (pcap_fopen_offline): libpcap's default reads in small chunks and
 * that alone doubles the cost of the read loop, while a buffer much
 * larger than this one only pushes what the views keep (the connection
 * table) out of the processor's cache: `conns` ran 10% slower with 1 MiB.
 * The magic is read ahead to know the format; a file is then read again
 * from its start, a pipe through a stream that hands the magic out
 * again (stdio guarantees one byte of pushback only).
 *
 * Timestamps are asked for in nanoseconds, of files and of interfaces
 * (where the kernel gives them), so that no precision is lost; frames
 * are handed out with the fraction below a second (a pcap record's
 * nanosecond field can say more: its whole seconds are carried).
 *
 * Live interfaces go through pcap_create/pcap_activate (in immediate mode
 * when frames are shown as they come), and are read with pcap_dispatch: it hands over every frame the kernel
 * has ready and returns, so the caller can flush its output (and the -w
 * file) between batches: frames appear at once at a low rate, and a high
 * rate costs no write per frame. */
#define _GNU_SOURCE        /* fopencookie */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_BUFFER_SIZE (1u << 16)

struct pkl_capture {
	pcap_t *pcap;
	FILE *file;
	char *file_buffer;
	const char *path;
	int linktype;
	bool is_pcap;         /* classic pcap: record offsets are computable */
	bool has_filter;
	struct bpf_program filter;
	uint64_t records;     /* read so far, filtered or not */
	struct pkl_clock origin;   /* the first record's time, filtered or not */
	uint64_t offset;      /* byte offset of the next record (classic pcap) */
	bool live;
	uint32_t nsec_per_tick;  /* 1000 when libpcap gives microseconds */
	char warning[PKL_ERRBUF_SIZE];   /* what pcap_activate warned of; "" for nothing */
	pcap_dumper_t *dumper;   /* -w: every delivered frame is written here */
	/* ... or, chosen (-Y), only those the caller writes while current. */
	bool write_chosen;
	struct pcap_pkthdr current;
	const u_char *current_bytes;
	/* The caller's callback during pkl_capture_dispatch. */
	pkl_frame_fn *deliver;
	void *deliver_ctx;
};

/* A delivered frame to the -w file, or held for pkl_capture_write_current. */
static void
dump_or_hold(struct pkl_capture *cap, const struct pcap_pkthdr *hdr, const u_char *bytes)
{
	if (cap->write_chosen) {
		cap->current = *hdr;
		cap->current_bytes = bytes;
	} else {
		pcap_dump((u_char *)cap->dumper, hdr, bytes);
	}
}

void
pkl_capture_write_chosen(struct pkl_capture *cap)
{
	cap->write_chosen = true;
}

void
pkl_capture_write_current(struct pkl_capture *cap)
{
	if (cap->dumper && cap->current_bytes)
		pcap_dump((u_char *)cap->dumper, &cap->current, cap->current_bytes);
}

static bool
is_classic_pcap(const unsigned char magic[4])
{
	static const unsigned char magics[][4] = {
		{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },
		{ 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },
	};
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (memcmp(magic, magics[i], 4) == 0)
			return true;
	return false;
}

/* A filter expression the user gave, compiled for this handle. */
static int
compile_filter(struct pkl_capture *cap, const char *filter, struct bpf_program *prog,
	       char errbuf[PKL_ERRBUF_SIZE])
{
	if (pcap_compile(cap->pcap, prog, filter, 1, PCAP_NETMASK_UNKNOWN) == 0)
		return 0;
	snprintf(errbuf, PKL_ERRBUF_SIZE, "bad filter expression '%s': %s", filter,
		 pcap_geterr(cap->pcap));
	return -1;
}

/* Up to 4 bytes from the start of fd into magic (fewer at its end):
 * how many, or -1 on a read error with errno set. */
static ssize_t
read_magic(int fd, unsigned char magic[4])
{
	size_t got = 0;

	while (got < 4) {
		ssize_t n = read(fd, magic + got, 4 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* A pipe read as a stream whose first bytes, read ahead to tell the
 * format, are handed out again before the rest: a pipe cannot seek
 * back to them, and stdio guarantees one byte of pushback only. */
struct pipe_head {
	int fd;
	unsigned char head[4];
	size_t len, pos;
};

static ssize_t
pipe_head_read(void *cookie, char *buf, size_t size)
{
	struct pipe_head *p = cookie;
	ssize_t n;

	if (p->pos < p->len) {
		size_t k = p->len - p->pos < size ? p->len - p->pos : size;
		memcpy(buf, p->head + p->pos, k);
		p->pos += k;
		return (ssize_t)k;
	}
	do
		n = read(p->fd, buf, size);
	while (n < 0 && errno == EINTR);
	return n;
}

static int
pipe_head_close(void *cookie)
{
	struct pipe_head *p = cookie;
	int rc = close(p->fd);

	free(p);
	return rc;
}

/* The file at path ("-": standard input) as a stream from its first
 * byte, its magic read into magic and *got set to how much of it there
 * is; NULL with a sentence in errbuf.  A file that can seek is read
 * again from its start through a plain FILE (the fast path). */
static FILE *
open_input(const char *path, unsigned char magic[4], size_t *got, char errbuf[PKL_ERRBUF_SIZE])
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	FILE *f;

	if (fd < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if ((n = read_magic(fd, magic)) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot read %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	*got = (size_t)n;
	if (lseek(fd, 0, SEEK_SET) == 0) {
		f = fdopen(fd, "rb");
	} else {
		struct pipe_head *p = malloc(sizeof *p);
		f = NULL;
		if (p) {
			*p = (struct pipe_head){ .fd = fd, .len = *got };
			memcpy(p->head, magic, *got);
			cookie_io_functions_t io = { .read = pipe_head_read, .close = pipe_head_close };
			f = fopencookie(p, "rb", io);
			if (!f)
				free(p);
		}
	}
	if (!f) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory opening %s", path);
		close(fd);
	}
	return f;
}

struct pkl_capture *
pkl_capture_open_file(const char *path, const char *filter,
		      char errbuf[PKL_ERRBUF_SIZE], bool *usage_error)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct pkl_capture *cap = calloc(1, sizeof *cap);
	unsigned char magic[4];
	size_t got;

	*usage_error = false;
	if (!cap) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory opening %s", path);
		return NULL;
	}
	cap->path = path;
	cap->nsec_per_tick = 1;
	cap->file = open_input(path, magic, &got, errbuf);
	if (!cap->file) {
		free(cap);
		return NULL;
	}
	cap->file_buffer = malloc(FILE_BUFFER_SIZE);
	if (cap->file_buffer)
		setvbuf(cap->file, cap->file_buffer, _IOFBF, FILE_BUFFER_SIZE);
	/* Only this thread reads the file: without stdio's per-call lock
	 * (two freads a frame in libpcap) the read loop takes a fifth less
	 * time. */
	__fsetlocking(cap->file, FSETLOCKING_BYCALLER);

	/* The magic tells whether record offsets can be computed. */
	cap->is_pcap = got == 4 && is_classic_pcap(magic);
	cap->offset = 24;

	cap->pcap = pcap_fopen_offline_with_tstamp_precision(
		cap->file, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
	if (!cap->pcap) {
		if (got == 0)
			snprintf(errbuf, PKL_ERRBUF_SIZE, "%s is empty: not a capture file", path);
		else if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)   /* RFC 1952 */
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "%s is gzip-compressed: pktlens reads pcap and pcapng as they "
				 "are; decompress it (gunzip -k), or pipe it: zcat %s | pktlens read -",
				 path, path);
		else
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "%s is not a capture file libpcap can read (%s); "
				 "pktlens reads pcap and pcapng", path, pcap_err);
		fclose(cap->file);
		free(cap->file_buffer);
		free(cap);
		return NULL;
	}
	cap->linktype = pcap_datalink(cap->pcap);

	if (filter) {
		struct bpf_program prog;
		if (compile_filter(cap, filter, &prog, errbuf) < 0) {
			*usage_error = true;
			pkl_capture_close(cap);
			return NULL;
		}
		/* Applied per record rather than with pcap_setfilter, so that
		 * frame numbers and byte offsets stay those of the file. */
		cap->filter = prog;
		cap->has_filter = true;
	}
	return cap;
}

/* A record's time as a frame's: seconds, and nanoseconds below one
 * second.  libpcap passes a pcap record's fraction on unchecked, so its
 * whole seconds are carried here, once for every view (saturating). */
static void
frame_time(const struct pkl_capture *cap, const struct pcap_pkthdr *hdr, struct pkl_frame *frame)
{
	/* Classic pcap seconds are an unsigned 32-bit field, which libpcap
	 * reads as signed: undo that, or times after 2038 go negative. */
	int64_t sec = cap->is_pcap ? (int64_t)(uint32_t)hdr->ts.tv_sec : hdr->ts.tv_sec;
	uint32_t frac = (uint32_t)hdr->ts.tv_usec * cap->nsec_per_tick;
	uint32_t carry = frac / 1000000000u;

	frame->ts_sec = sec > INT64_MAX - carry ? INT64_MAX : sec + carry;
	frame->ts_nsec = frac % 1000000000u;
}

/* A pcapng file whose interfaces have different link types (what
 * mergecap makes of captures from different links): libpcap's API has
 * one link type per handle and refuses the second.  Says so in errbuf,
 * with the way out; false when the error is another. */
static bool
mixed_link_types(struct pkl_capture *cap, char errbuf[PKL_ERRBUF_SIZE])
{
	int other;
	char other_name[32];

	if (cap->is_pcap ||
	    sscanf(pcap_geterr(cap->pcap), "an interface has a type %d different", &other) != 1)
		return false;
	/* libpcap names DLT values; the file holds a LINKTYPE, most often the same. */
	if (pcap_datalink_val_to_name(other))
		snprintf(other_name, sizeof other_name, "%s", pcap_datalink_val_to_name(other));
	else
		snprintf(other_name, sizeof other_name, "link type %d", other);
	snprintf(errbuf, PKL_ERRBUF_SIZE,
		 "%s holds interfaces of different link types (%s and %s), "
		 "as mergecap makes of captures from different links; libpcap, which pktlens "
		 "reads files with, cannot read such a file, and editcap cannot make the types "
		 "one: split it by interface with tshark -r FILE -Y 'frame.interface_id == N' "
		 "-w PART.pcapng, and read each part",
		 cap->path, pkl_linktype_name(cap->linktype), other_name);
	return true;
}

int
pkl_capture_next(struct pkl_capture *cap, struct pkl_frame *frame,
		 char errbuf[PKL_ERRBUF_SIZE])
{
	struct pcap_pkthdr *hdr;
	const u_char *bytes;

	int rc;
	for (;;) {
		rc = pcap_next_ex(cap->pcap, &hdr, &bytes);
		if (rc == 1 && !cap->origin.started) {
			frame_time(cap, hdr, frame);
			pkl_clock_start(&cap->origin, frame);
		}
		if (rc != 1 || !cap->has_filter ||
		    pcap_offline_filter(&cap->filter, hdr, bytes))
			break;
		cap->records++;
		cap->offset += 16 + hdr->caplen;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc < 0) {
		if (mixed_link_types(cap, errbuf))
			return -1;
		if (cap->is_pcap)
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "%s: record %llu at byte offset %llu is corrupt: %s",
				 cap->path, (unsigned long long)cap->records + 1,
				 (unsigned long long)cap->offset, pcap_geterr(cap->pcap));
		else
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "%s: block after record %llu is corrupt: %s", cap->path,
				 (unsigned long long)cap->records, pcap_geterr(cap->pcap));
		return -1;
	}
	/* Offline, pcap_next_ex returns 1 for a frame or -2 at the end;
	 * 0 (timeout) only happens live. */
	if (cap->dumper)
		dump_or_hold(cap, hdr, bytes);
	cap->records++;
	cap->offset += 16 + hdr->caplen;
	frame->number = cap->records;
	frame_time(cap, hdr, frame);
	frame->caplen = hdr->caplen;
	frame->len = hdr->len;
	frame->linktype = cap->linktype;
	frame->direction = PKL_DIR_UNKNOWN;
	frame->bytes = bytes;
	return 1;
}

const struct pkl_clock *
pkl_capture_origin(const struct pkl_capture *cap)
{
	return &cap->origin;
}

int
pkl_capture_linktype(const struct pkl_capture *cap)
{
	return cap->linktype;
}

void
pkl_capture_close(struct pkl_capture *cap)
{
	if (!cap)
		return;
	if (cap->has_filter)
		pcap_freecode(&cap->filter);
	if (cap->dumper)
		pcap_dump_close(cap->dumper);
	pcap_close(cap->pcap);   /* closes the FILE it was given */
	free(cap->file_buffer);
	free(cap);
}

/* The binary's real path, for a setcap command that can be pasted as
 * it is (whether it was run as ./pktlens, by a link or from PATH);
 * "pktlens" when the kernel does not say, or the path would not fit in
 * the sentence's errbuf. */
static void
own_path(char *path, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", path, size - 1);

	if (n <= 0 || (size_t)n >= size - 1)
		n = (ssize_t)snprintf(path, size, "pktlens");
	path[n] = '\0';
}

/* The sentence for a failed pcap_activate, saying what to do. */
static void
activate_error(pcap_t *p, int rc, const char *iface, char errbuf[PKL_ERRBUF_SIZE])
{
	char exe[256];

	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "there is no interface named %s; list them with: pktlens sniff -D", iface);
		break;
	case PCAP_ERROR_PERM_DENIED:
		own_path(exe, sizeof exe);
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "no permission to capture on %s (%s): run it with sudo, or give the "
			 "binary the capability once: sudo setcap cap_net_raw=ep %s",
			 iface, pcap_geterr(p), exe);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "interface %s is down: bring it up with: sudo ip link set %s up", iface, iface);
		break;
	case PCAP_ERROR_RFMON_NOTSUP:
		snprintf(errbuf, PKL_ERRBUF_SIZE, "interface %s does not support monitor mode", iface);
		break;
	default:
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot capture on %s: %s", iface,
			 rc == PCAP_ERROR ? pcap_geterr(p) : pcap_statustostr(rc));
		break;
	}
}

/* The sentence for a warning of pcap_activate (the capture runs). */
static void
activate_warning(pcap_t *p, int rc, const char *iface, char warning[PKL_ERRBUF_SIZE])
{
	const char *why = *pcap_geterr(p) ? pcap_geterr(p) : pcap_statustostr(rc);

	if (rc == PCAP_WARNING_PROMISC_NOTSUP)
		snprintf(warning, PKL_ERRBUF_SIZE,
			 "cannot make %s promiscuous (%s): frames between other hosts are not seen",
			 iface, why);
	else
		snprintf(warning, PKL_ERRBUF_SIZE, "capturing on %s: %s", iface, why);
}

/* `-i any` gives Linux cooked v1 unless asked: v2 also names the
 * interface of every frame, and is what tcpdump uses. */
static void
prefer_sll2(pcap_t *p)
{
	int *dlts = NULL;
	int n = pcap_list_datalinks(p, &dlts);

	for (int i = 0; i < n; i++) {
		if (dlts[i] == DLT_LINUX_SLL2) {
			pcap_set_datalink(p, DLT_LINUX_SLL2);
			break;
		}
	}
	if (n >= 0)
		pcap_free_datalinks(dlts);
}

/* libpcap's devices that are not network interfaces: netfilter's queue
 * and log, the system bus, Bluetooth.  With the privileges a capture has,
 * opening one can take part in what it shows: libpcap answers an NFQUEUE's
 * packets with ACCEPT verdicts, so a queue-based IPS would fail open. */
bool
pkl_capture_is_pseudo_device(const char *name)
{
	static const char *const prefixes[] = { "nfqueue", "nflog", "dbus", "bluetooth" };

	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

struct pkl_capture *
pkl_capture_open_live(const struct pkl_live_opts *opts, const char *filter,
		      char errbuf[PKL_ERRBUF_SIZE], bool *usage_error)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";

	*usage_error = false;
	if (pkl_capture_is_pseudo_device(opts->iface)) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "%s is a netfilter, bus or Bluetooth device, not a "
			 "network interface: pktlens does not open it (list the interfaces with "
			 "pktlens sniff -D)", opts->iface);
		*usage_error = true;
		return NULL;
	}
	if (opts->buffer_kib < 0 || opts->buffer_kib > PKL_CAPTURE_MAX_BUFFER_KIB) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "a capture buffer of %d KiB is more than libpcap "
			 "takes: at most %d KiB", opts->buffer_kib, PKL_CAPTURE_MAX_BUFFER_KIB);
		*usage_error = true;
		return NULL;
	}
	struct pkl_capture *cap = calloc(1, sizeof *cap);
	if (!cap) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory opening %s", opts->iface);
		return NULL;
	}
	cap->path = opts->iface;
	cap->live = true;
	cap->pcap = pcap_create(opts->iface, pcap_err);
	if (!cap->pcap) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot capture on %s: %s", opts->iface, pcap_err);
		free(cap);
		return NULL;
	}
	pcap_set_snaplen(cap->pcap, opts->snaplen);
	pcap_set_promisc(cap->pcap, opts->promisc);
	pcap_set_immediate_mode(cap->pcap, opts->immediate);
	/* The timeout only bounds how long a quiet interface keeps
	 * pcap_dispatch waiting: signals and -c are seen at least this often. */
	pcap_set_timeout(cap->pcap, 200);
	/* Nanoseconds where the platform gives them; else microseconds. */
	pcap_set_tstamp_precision(cap->pcap, PCAP_TSTAMP_PRECISION_NANO);
	if (opts->buffer_kib)
		pcap_set_buffer_size(cap->pcap, opts->buffer_kib * 1024);   /* checked above */

	int rc = pcap_activate(cap->pcap);
	if (rc < 0) {
		activate_error(cap->pcap, rc, opts->iface, errbuf);
		pkl_capture_close(cap);
		return NULL;
	}
	if (rc > 0)
		activate_warning(cap->pcap, rc, opts->iface, cap->warning);
	cap->nsec_per_tick =
		pcap_get_tstamp_precision(cap->pcap) == PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
	if (opts->nonblocking && pcap_setnonblock(cap->pcap, 1, pcap_err) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot capture on %s without waiting: %s",
			 opts->iface, pcap_err);
		pkl_capture_close(cap);
		return NULL;
	}
	if (strcmp(opts->iface, "any") == 0)
		prefer_sll2(cap->pcap);
	cap->linktype = pcap_datalink(cap->pcap);

	if (filter) {
		struct bpf_program prog;
		if (compile_filter(cap, filter, &prog, errbuf) < 0) {
			*usage_error = true;
			pkl_capture_close(cap);
			return NULL;
		}
		/* In the kernel: frames the filter rejects never reach us. */
		rc = pcap_setfilter(cap->pcap, &prog);
		pcap_freecode(&prog);
		if (rc < 0) {
			snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot apply filter '%s' on %s: %s",
				 filter, opts->iface, pcap_geterr(cap->pcap));
			pkl_capture_close(cap);
			return NULL;
		}
	}
	return cap;
}

static void
dispatch_one(u_char *user, const struct pcap_pkthdr *hdr, const u_char *bytes)
{
	struct pkl_capture *cap = (struct pkl_capture *)user;
	struct pkl_frame frame;

	if (cap->dumper)
		dump_or_hold(cap, hdr, bytes);
	cap->records++;
	frame.number = cap->records;
	frame_time(cap, hdr, &frame);
	frame.caplen = hdr->caplen;
	frame.len = hdr->len;
	frame.linktype = cap->linktype;
	frame.direction = PKL_DIR_UNKNOWN;
	frame.bytes = bytes;
	if (!cap->deliver(cap->deliver_ctx, &frame))
		pcap_breakloop(cap->pcap);
}

int
pkl_capture_dispatch(struct pkl_capture *cap, pkl_frame_fn *deliver, void *ctx,
		     char errbuf[PKL_ERRBUF_SIZE])
{
	cap->deliver = deliver;
	cap->deliver_ctx = ctx;
	int rc = pcap_dispatch(cap->pcap, -1, dispatch_one, (u_char *)cap);
	if (cap->dumper && pcap_dump_flush(cap->dumper) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write the capture file: %s",
			 strerror(errno));
		return -1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return -2;
	if (rc < 0) {
		const char *why = pcap_geterr(cap->pcap);
		/* libpcap's words for an interface deleted, or set down, under
		 * a running capture (pcap-linux.c). */
		if (strstr(why, "interface disappeared"))
			why = "the interface is gone (deleted, or moved to another namespace)";
		else if (strstr(why, "interface went down"))
			why = "the interface went down";
		snprintf(errbuf, PKL_ERRBUF_SIZE, "capture on %s stopped: %s", cap->path, why);
		return -1;
	}
	return rc;
}

int
pkl_capture_wait(struct pkl_capture *cap, int timeout_ms, char errbuf[PKL_ERRBUF_SIZE])
{
	struct pollfd pfd = { .fd = pcap_get_selectable_fd(cap->pcap), .events = POLLIN };
	int rc = poll(&pfd, 1, timeout_ms);
	if (rc < 0 && errno != EINTR) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot wait for frames on %s: %s", cap->path,
			 strerror(errno));
		return -1;
	}
	return rc > 0;
}

const char *
pkl_capture_warning(const struct pkl_capture *cap)
{
	return cap->warning[0] ? cap->warning : NULL;
}

void
pkl_capture_break(struct pkl_capture *cap)
{
	pcap_breakloop(cap->pcap);
}

/* A file to write frames to, as the user pktlens runs as: a new one, or
 * an existing regular file of that user's with no other name, emptied.
 * Never through a symbolic link (root following one planted in a sticky
 * directory would overwrite what it points at), never into a FIFO,
 * device or another user's file.  O_NONBLOCK keeps a FIFO without a
 * reader from hanging the open. */
int
pkl_capture_open_output(const char *path, char errbuf[PKL_ERRBUF_SIZE])
{
	const int flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC;
	struct stat st;
	int fd = open(path, flags | O_CREAT | O_EXCL, 0600);

	if (fd >= 0)
		return fd;
	if (errno == EEXIST)
		fd = open(path, flags | O_NONBLOCK);
	if (fd < 0 && errno == ENXIO)   /* a FIFO nobody reads */
		goto not_ours;
	if (fd < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write %s: %s", path,
			 errno == ELOOP ? "it is a symbolic link; name the file itself"
					: strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_nlink != 1) {
		close(fd);
		goto not_ours;
	}
	if (ftruncate(fd, 0) < 0 || fcntl(fd, F_SETFL, O_WRONLY) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
not_ours:
	snprintf(errbuf, PKL_ERRBUF_SIZE, "will not write %s: it exists and is not a regular "
		 "file of this user's with a single name; remove it or choose another", path);
	return -1;
}

int
pkl_capture_write_to(struct pkl_capture *cap, const char *path, char errbuf[PKL_ERRBUF_SIZE])
{
	/* "-": standard output, as for tcpdump -w -. */
	int fd = strcmp(path, "-") == 0 ? dup(STDOUT_FILENO) : pkl_capture_open_output(path, errbuf);
	if (fd < 0) {
		if (strcmp(path, "-") == 0)
			snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write to standard output: %s",
				 strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	cap->dumper = pcap_dump_fopen(cap->pcap, f);
	if (!cap->dumper) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write %s: %s", path, pcap_geterr(cap->pcap));
		fclose(f);
		return -1;
	}
	return 0;
}

int
pkl_capture_stats(struct pkl_capture *cap, struct pkl_capture_stats *st)
{
	struct pcap_stat ps;

	if (pcap_stats(cap->pcap, &ps) < 0)
		return -1;
	st->delivered = cap->records;
	st->received = ps.ps_recv;
	st->dropped_kernel = ps.ps_drop;
	st->dropped_interface = ps.ps_ifdrop;
	return 0;
}

const char *
pkl_linktype_name(int linktype)
{
	const char *name = pcap_datalink_val_to_name(linktype);
	return name ? name : "unknown";
}

const char *
pkl_linktype_description(int linktype)
{
	const char *d = pcap_datalink_val_to_description(linktype);
	return d ? d : "unknown";
}

const char *
pkl_capture_linktype_name(const struct pkl_capture *cap)
{
	return pkl_linktype_name(cap->linktype);
}

const char *
pkl_capture_linktype_description(const struct pkl_capture *cap)
{
	return pkl_linktype_description(cap->linktype);
}

int
pkl_capture_snaplen(const struct pkl_capture *cap)
{
	return pcap_snapshot(cap->pcap);
}
