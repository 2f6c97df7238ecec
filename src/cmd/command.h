/* A command of pktlens: its row in main.c's table, generated from
 * commands.def.  Adding a command is one line there and one file here. */
#ifndef PKL_CMD_COMMAND_H
#define PKL_CMD_COMMAND_H

#define PKL_VERSION "0.1.0"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

extern const char *const pkl_progname;

struct pkl_command {
	const char *name;
	const char *synopsis;      /* after "pktlens NAME ": "[options] FILE [FILTER...]" */
	const char *summary;       /* one line, for `pktlens --help` */
	const char *description;   /* the help's paragraph(s) before the options */
	const char *epilogue;      /* after the options; NULL: none */
	/* argv[0] is the command's name.  Returns the exit status, having
	 * printed any error. */
	int (*run)(const struct pkl_command *cmd, int argc, char **argv);
};

#define PKL_COMMAND(name) extern const struct pkl_command pkl_cmd_##name;
#include "commands.def"
#undef PKL_COMMAND

#endif
