/* Giving up root once what needs it is open (a capture handle, a raw
 * socket, a file to write), for every command that opens an interface. */
#ifndef PKL_PRIVILEGE_H
#define PKL_PRIVILEGE_H

#include "capture.h"

/* Run as user (-Z USER) or, when it is NULL, as the user who ran sudo
 * (SUDO_UID), with that user's own primary group and supplementary
 * groups.  Nothing to do when not root, or when root ran pktlens other
 * than through sudo.  Returns -1 with a sentence in errbuf. */
int pkl_privilege_drop(const char *user, char errbuf[PKL_ERRBUF_SIZE]);

#endif
