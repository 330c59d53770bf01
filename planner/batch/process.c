/* The batch process's signals and its test kill points: what every part of
 * a batch (the coordinator, the pool, the manifest) asks of the process,
 * kept apart so that those parts do not depend on each other for it. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "planner/batch/batch_int.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) { interrupted = sig; }

int pl_batch_interrupted(void) { return interrupted; }

void pl_batch_interrupt(int sig) { interrupted = sig; }

void pl_batch_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: waits return EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* R5G_BATCH_TEST_KILL=POINT:N: SIGKILL at the Nth pass of POINT (tests only). */
void pl_batch_test_point(const char *name)
{
    static int left = -1;
    static char want[64];
    if (left == -1) {
        const char *e = getenv("R5G_BATCH_TEST_KILL");
        const char *colon = e ? strchr(e, ':') : NULL;
        left = 0;
        if (colon && (size_t)(colon - e) < sizeof want) {
            memcpy(want, e, (size_t)(colon - e));
            want[colon - e] = '\0';
            left = atoi(colon + 1);
        }
    }
    if (left > 0 && strcmp(name, want) == 0 && --left == 0)
        raise(SIGKILL);
}
