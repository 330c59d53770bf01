/* What each phase of a run costs: wall and CPU time, the resident memory at
 * its end and the process's peak by then. A phase is charged the time since
 * the clock's mark, so a phase that runs in pieces (the solver's bounds and
 * plans alternate) adds up its pieces. */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "planner/pipeline/run.h"

static const char *const phase_names[PL_PHASE_N] = {"read", "pairs", "model", "bound",
                                                    "search", "kpi", "write"};

const char *pl_phase_name(pl_phase_id id)
{
    return id >= 0 && id < PL_PHASE_N ? phase_names[id] : "?";
}

/* CPU seconds of the process, and its peak resident memory in MB. */
static double cpu_now(double *peak_mb)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        if (peak_mb)
            *peak_mb = 0;
        return 0;
    }
    if (peak_mb)
        *peak_mb = (double)ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* Resident memory now in MB (the second field of /proc/self/statm, in
 * pages); 0 where there is no /proc. */
static double rss_now(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    int n = f ? fscanf(f, "%lu %lu", &size, &resident) : 0;
    if (f)
        fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    return n == 2 && page > 0 ? (double)resident * (double)page / (1024.0 * 1024.0) : 0;
}

void pl_phase_mark(pl_phase_clock *c)
{
    c->wall = r5g_now();
    c->cpu = cpu_now(NULL);
}

void pl_phase_charge(pl_phase *ph, pl_phase_clock *c, int with_memory)
{
    double peak = 0, wall = r5g_now(), cpu = cpu_now(with_memory ? &peak : NULL);
    ph->measured = 1;
    ph->seconds += wall - c->wall;
    ph->cpu_seconds += cpu - c->cpu;
    if (with_memory) {
        ph->rss_mb = rss_now();
        ph->peak_mb = peak;
    }
    c->wall = wall;
    c->cpu = cpu;
}

void pl_phase_log(const pl_phase *phases, pl_phase_id id)
{
    const pl_phase *ph = &phases[id];
    if (ph->measured)
        r5g_log(R5G_LOG_DEBUG, "phase %s: %.3f s (%.3f s CPU), resident %.0f MB, peak %.0f MB",
                pl_phase_name(id), ph->seconds, ph->cpu_seconds, ph->rss_mb, ph->peak_mb);
}
