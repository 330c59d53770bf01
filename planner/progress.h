/* Progress of the long stages (reading, coverage, solving, writing): on a
 * terminal, GDAL-style bars on stderr ("writing 0...10...20...100 - done.")
 * and a live solver line (incumbent, bound, gap); otherwise quiet log lines
 * (one solver line every 10 s). Nothing at all with -q. */
#ifndef PL_PROGRESS_H
#define PL_PROGRESS_H

typedef struct pl_progress {
    int tty;          /* stderr is a terminal and the log level shows info */
    int on;           /* info messages wanted at all */
    int ticks;        /* bar ticks printed, 0..40 */
    int in_bar;
    int solve_line;   /* a live solver line is on screen */
    double last_t;    /* time of the last solver report */
} pl_progress;

void pl_progress_init(pl_progress *p);
/* Starts a bar for stage (terminal only). */
void pl_progress_begin(pl_progress *p, const char *stage);
/* frac in [0, 1]. */
void pl_progress_update(pl_progress *p, double frac);
/* Completes the bar. */
void pl_progress_end(pl_progress *p);
/* sol_input.progress callback (user = pl_progress *). */
void pl_progress_solve(void *user, double incumbent, double bound, double seconds);
/* Ends a live solver line. */
void pl_progress_solve_end(pl_progress *p);

#endif
