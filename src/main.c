/* pktlens: see and understand what is on the wire.
 *
 * Dispatches to the commands of src/cmd/, listed in commands.def; each
 * parses its own options and returns its exit status: 0 success,
 * 1 runtime failure, 2 usage error. */
#include <stdio.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/options.h"

static const struct pkl_command *const commands[] = {
#define PKL_COMMAND(name) &pkl_cmd_##name,
#include "cmd/commands.def"
#undef PKL_COMMAND
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])
#define SUMMARY_COLUMN 28

/* "  read FILE [FILTER...]  decode ...": the synopsis without its
 * "[options] ", the summary's continuation lines indented under it. */
static void
usage_main(FILE *f)
{
	fprintf(f, "usage: pktlens COMMAND [options] ...\n\nCommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct pkl_command *c = commands[i];
		const char *synopsis = c->synopsis;
		if (strncmp(synopsis, "[options]", 9) == 0)
			synopsis += synopsis[9] == ' ' ? 10 : 9;
		int n = fprintf(f, "  %s %s", c->name, synopsis);
		pkl_opts_print_column(f, n, SUMMARY_COLUMN, c->summary);
	}
	fprintf(f, "\n  pktlens COMMAND --help   options of one command\n"
		"  pktlens --version\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage_main(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("pktlens %s\n", PKL_VERSION);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i]->name) == 0)
			return commands[i]->run(commands[i], argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\nTry 'pktlens --help' for the commands.\n",
		pkl_progname, name);
	return EXIT_USAGE;
}
