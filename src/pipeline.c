#include "pipeline.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode.h"
#include "dfilter.h"

struct pkl_pipeline {
	struct pkl_clock clock;
	struct pkl_conntrack *conntrack;   /* NULL: conversations are not followed */
	bool annotate;
	struct pkl_annotate_opts annotate_opts;
	const struct pkl_out *out;
	struct pkl_dfilter *filter;
	uint64_t limit, seen;
	int nsinks;
	struct {
		pkl_sink_fn *fn;
		void *ctx;
	} sink[PKL_PIPELINE_SINKS];
	struct pkl_packet pkt;
	struct pkl_findings found;
	struct pkl_notes notes;
};

struct pkl_pipeline *
pkl_pipeline_new(const struct pkl_pipeline_opts *opts, char errbuf[PKL_ERRBUF_SIZE])
{
	struct pkl_pipeline *pl = calloc(1, sizeof *pl);

	if (!pl) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	pl->annotate = opts->annotate;
	pl->annotate_opts = opts->annotate_opts;
	pl->out = opts->out;
	pl->limit = opts->limit;
	pl->pkt.skip_checksums = !opts->verify_checksums;
	if (opts->display_filter) {
		char why[PKL_DFILTER_ERRBUF_SIZE];
		if (!(pl->filter = pkl_dfilter_compile(opts->display_filter, why))) {
			snprintf(errbuf, PKL_ERRBUF_SIZE, "-Y: %.*s", PKL_ERRBUF_SIZE - 8, why);
			free(pl);
			return NULL;
		}
	}
	if (opts->track &&
	    !(pl->conntrack = pkl_conntrack_new(&opts->conntrack, opts->conn_done, opts->conn_ctx))) {
		/* Not the cap's doing: the table starts small and grows. */
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory for the connection table");
		pkl_dfilter_free(pl->filter);
		free(pl);
		return NULL;
	}
	return pl;
}

void
pkl_pipeline_add_sink(struct pkl_pipeline *pl, pkl_sink_fn *fn, void *ctx)
{
	assert(pl->nsinks < PKL_PIPELINE_SINKS);
	pl->sink[pl->nsinks].fn = fn;
	pl->sink[pl->nsinks].ctx = ctx;
	pl->nsinks++;
}

bool
pkl_pipeline_frame(void *pipeline, const struct pkl_frame *frame)
{
	struct pkl_pipeline *pl = pipeline;

	pl->seen++;
	pkl_clock_start(&pl->clock, frame);
	/* Nothing consumes the frame (sniff --silent -w): leave it undecoded. */
	if (pl->conntrack || pl->nsinks) {
		pkl_decode(&pl->pkt, frame);
		/* The tracker first: the notes tell what it found. */
		pkl_notes_reset(&pl->notes);
		if (pl->conntrack)
			pkl_conntrack_frame(pl->conntrack, &pl->pkt, &pl->notes.conn, &pl->found);
		if (pl->annotate)
			pkl_annotate(&pl->pkt, &pl->found, &pl->annotate_opts, &pl->notes);
		if (!pl->filter || pkl_dfilter_match(pl->filter, &pl->pkt, &pl->notes, &pl->clock))
			for (int i = 0; i < pl->nsinks; i++)
				pl->sink[i].fn(pl->sink[i].ctx, &pl->pkt, &pl->notes);
	}
	return !(pl->out && pl->out->failed) && (pl->limit == 0 || pl->seen < pl->limit);
}

void
pkl_pipeline_finish(struct pkl_pipeline *pl)
{
	if (pl->conntrack)
		pkl_conntrack_finish(pl->conntrack);
}

void
pkl_pipeline_set_origin(struct pkl_pipeline *pl, const struct pkl_clock *origin)
{
	if (origin->started)
		pkl_clock_start_at(&pl->clock, origin->first_sec, origin->first_nsec);
}

const struct pkl_clock *
pkl_pipeline_clock(const struct pkl_pipeline *pl)
{
	return &pl->clock;
}

const struct pkl_findings *
pkl_pipeline_findings(const struct pkl_pipeline *pl)
{
	return &pl->found;
}

uint64_t
pkl_pipeline_seen(const struct pkl_pipeline *pl)
{
	return pl->seen;
}

uint64_t
pkl_pipeline_evicted(const struct pkl_pipeline *pl)
{
	return pl->conntrack ? pkl_conntrack_evicted(pl->conntrack) : 0;
}

uint64_t
pkl_pipeline_alloc_failures(const struct pkl_pipeline *pl)
{
	return pl->conntrack ? pkl_conntrack_alloc_failures(pl->conntrack) : 0;
}

void
pkl_pipeline_free(struct pkl_pipeline *pl)
{
	if (!pl)
		return;
	pkl_conntrack_free(pl->conntrack);
	pkl_dfilter_free(pl->filter);
	free(pl);
}
