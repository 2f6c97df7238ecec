#include "privilege.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* libcap-ng rather than libcap: clearing every set and checking that
 * nothing is left is three calls, where libcap needs a loop over the
 * bounding set and the ambient set by hand. */
#include <cap-ng.h>

/* A user or group id from sudo's environment: decimal digits only, not
 * 0 (root: nothing to become) and not (uid_t)-1 (no id at all).  atoi
 * would turn garbage into 0, and strtoul alone takes "-2" and wraps
 * values past 32 bits. */
static bool
parse_id(const char *s, unsigned long *id)
{
	char *end;

	if (!s || s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end != '\0' || v == 0 || v >= (uid_t)-1)
		return false;
	*id = v;
	return true;
}

/* The account to become: -Z USER, sudo's user, or the fixed
 * unprivileged one. */
static int
target_user(const char *user, const struct passwd **pw, char errbuf[PKL_ERRBUF_SIZE])
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	unsigned long uid, gid;

	if (user || !su) {
		const char *name = user ? user : PKL_UNPRIVILEGED_USER;
		if (!(*pw = getpwnam(name)))
			snprintf(errbuf, PKL_ERRBUF_SIZE, "%s%s: there is no such user%s",
				 user ? "-Z " : "", name,
				 user ? "" : "; name one to run as with -Z USER (-Z root stays root)");
		return *pw ? 0 : -1;
	}
	if (!parse_id(su, &uid) || (sg && !parse_id(sg, &gid))) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "SUDO_UID='%.40s' SUDO_GID='%.40s' do not name a user to run as: "
			 "unset them, or name the user with -Z USER", su, sg ? sg : "");
		return -1;
	}
	/* The account's own name and group, not what the environment says. */
	if (!(*pw = getpwuid((uid_t)uid))) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "SUDO_UID=%lu is no user's id: unset it, or name "
			 "the user with -Z USER", uid);
		return -1;
	}
	return 0;
}

static int
become(const struct passwd *pw, char errbuf[PKL_ERRBUF_SIZE])
{
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;

	/* initgroups replaces root's supplementary groups with the user's. */
	if (initgroups(pw->pw_name, gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot switch to user %s: %s", pw->pw_name,
			 strerror(errno));
		return -1;
	}
	if (uid != 0 && setuid(0) == 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "switched to user %s, but root could be "
			 "taken back: refusing to go on", pw->pw_name);
		return -1;
	}
	return 0;
}

int
pkl_privilege_drop_capabilities(char errbuf[PKL_ERRBUF_SIZE])
{
	capng_clear(CAPNG_SELECT_ALL);
	/* The bounding set needs CAP_SETPCAP to change (root has it; a
	 * binary given only cap_net_raw does not): then the others alone. */
	if (capng_apply(CAPNG_SELECT_ALL) < 0 &&
	    capng_apply((capng_select_t)(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT)) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot give up the capabilities: %s",
			 strerror(errno));
		return -1;
	}
	/* Nothing this process runs can gain privileges again. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	if (capng_get_caps_process() < 0 || capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "capabilities remain after giving them up: "
			 "refusing to go on");
		return -1;
	}
	return 0;
}

int
pkl_privilege_become(const char *user, char errbuf[PKL_ERRBUF_SIZE])
{
	const struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if (target_user(user, &pw, errbuf) < 0)
		return -1;
	/* While root still holds CAP_SETPCAP: no program this process could
	 * run would get a capability back. */
	capng_get_caps_process();
	capng_clear(CAPNG_SELECT_BOUNDS);
	if (capng_apply(CAPNG_SELECT_BOUNDS) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot empty the capability bounding set: %s",
			 strerror(errno));
		return -1;
	}
	return become(pw, errbuf);
}

int
pkl_privilege_require_root(const char *what, char errbuf[PKL_ERRBUF_SIZE])
{
	if (getuid() == 0)
		return 0;
	snprintf(errbuf, PKL_ERRBUF_SIZE, "%s needs root (run it with sudo): a capability "
		 "given to the file (setcap) is not enough to send as another host", what);
	return -1;
}
