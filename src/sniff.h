#ifndef PKL_SNIFF_H
#define PKL_SNIFF_H

#include "cli.h"

/* Capture live as cli says (or list the interfaces); returns the exit
 * status, having printed any error and the capture statistics. */
int pkl_sniff_run(struct cli *cli);

#endif
