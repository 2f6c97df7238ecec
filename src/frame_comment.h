/* A frame's notes as one plain text, for a capture file's packet
 * comment: what the default view prints under the frame, one per line. */
#ifndef PKL_FRAME_COMMENT_H
#define PKL_FRAME_COMMENT_H

#include "notes.h"
#include "out.h"
#include "packet.h"

/* The anomalies the dissectors recorded, marked as the tree marks them
 * ("! ", "[truncated] ", "[malformed: ...]"), then the explanations,
 * each line ended by a newline except the last, written to o. */
void pkl_frame_comment(struct pkl_out *o, const struct pkl_packet *pkt,
		       const struct pkl_notes *notes);

#endif
