/* The command-line interface: one file per command, dispatched from the
 * table in main.c. Each command parses its own options, passes the terminal
 * progress to the planner and turns a return code into an exit code. */
#ifndef PL_CLI_H
#define PL_CLI_H

#include <stdio.h>

typedef struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;
    const char *usage;
} cli_cmd;

/* The command table (main.c). */
const cli_cmd *cli_find(const char *name);

/* "rollout5g NAME: MESSAGE" + the --help hint on stderr; returns exit code 2. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
/* Prints the usage of a command on stdout; returns exit code 0. */
int cli_print_usage(const char *cmd);
/* The command line, shell-quoted, for plan_meta (malloc'd; NULL on OOM). */
char *cli_command_line(int argc, char **argv);

int cli_plan(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_coverage(int argc, char **argv);
int cli_synth(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_batch(int argc, char **argv);

extern const char cli_plan_usage[], cli_validate_usage[], cli_coverage_usage[], cli_synth_usage[];
extern const char cli_compare_usage[], cli_verify_usage[], cli_batch_usage[];

#endif
