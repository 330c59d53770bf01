/* Progress of the long stages (reading, coverage, solving, writing): on a
 * terminal, GDAL-style bars on stderr ("writing 0...10...20...100 - done.")
 * and a live solver line (incumbent, bound, gap); otherwise quiet log lines
 * (one solver line every 10 s). Nothing at all with -q. */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include "planner/plan.h"

typedef struct cli_progress {
    int tty;          /* stderr is a terminal and the log level shows info */
    int on;           /* info messages wanted at all */
    int ticks;        /* bar ticks printed, 0..40 */
    int in_bar;
    int solve_line;   /* a live solver line is on screen */
    double last_t;    /* time of the last solver report */
} cli_progress;

void cli_progress_init(cli_progress *p);
/* pl_progress_fn: bars for the stages, a live solver line; never cancels. */
int cli_progress_cb(const pl_progress_event *ev, void *user);
/* Ends a live solver line or an unfinished bar. */
void cli_progress_finish(cli_progress *p);

#endif
