/* Giving up privilege once what needs it is open (a capture handle, a
 * raw socket, a file to write), for every command.  Whatever the binary
 * was given, root or file capabilities (setcap), none of it outlives
 * the opening: the rest of a run parses what strangers sent. */
#ifndef PKL_PRIVILEGE_H
#define PKL_PRIVILEGE_H

#include "capture.h"

/* The account root becomes when neither -Z nor sudo names one, as
 * tcpdump's Debian build becomes its own. */
#define PKL_UNPRIVILEGED_USER "nobody"

/* For a command that opened an interface, before it opens files to
 * write (so they are the user's): as root, become user (-Z USER; "root"
 * stays root, said explicitly), else the user who ran sudo (SUDO_UID),
 * else PKL_UNPRIVILEGED_USER, with that account's own group and
 * supplementary groups, the bounding set emptied first.  Nothing to do
 * when not root.  Returns -1 with a sentence in errbuf. */
int pkl_privilege_become(const char *user, char errbuf[PKL_ERRBUF_SIZE]);

/* Sending as another host (a source address that is not the
 * interface's own) needs the real user to be root: a capability given to
 * the file would hand every local user address spoofing.  Returns 0, or
 * -1 with a sentence in errbuf saying that `what` needs sudo. */
int pkl_privilege_require_root(const char *what, char errbuf[PKL_ERRBUF_SIZE]);

/* Give up every capability (effective, permitted, inheritable, ambient,
 * and the bounding set where that can be changed) and set no_new_privs,
 * keeping the user: once everything that needs a privilege is open (the
 * interface, the -w file; a file command's input).  Returns -1 with a
 * sentence in errbuf. */
int pkl_privilege_drop_capabilities(char errbuf[PKL_ERRBUF_SIZE]);

#endif
