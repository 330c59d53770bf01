/* Temporary outputs removed when the process is interrupted (SIGINT, SIGTERM):
 * the writers register each temporary file or folder while it exists; the
 * signal handler removes them with async-signal-safe calls only and exits
 * with 128 + the signal number (130 for Ctrl-C). */
#ifndef R5G_CLEANUP_H
#define R5G_CLEANUP_H

/* Registers a temporary path (copied into a static slot) and, when lock is
 * not NULL, the lock file that guards it (removed after the path). For a
 * file, the SQLite side files PATH-journal, PATH-wal and PATH-shm are removed
 * too; a folder is emptied (one level) and removed. Returns a slot id >= 0,
 * or -1 when a path is too long or all slots are taken (then it is not
 * removed on a signal; the normal error paths still remove it). */
int r5g_cleanup_add(const char *path, int is_dir, const char *lock);
/* The path was renamed into place: a signal now removes only the lock. */
void r5g_cleanup_done(int slot);
/* Forgets a slot (after the rename into place, or after removal). -1 is a no-op. */
void r5g_cleanup_drop(int slot);
/* Installs the SIGINT/SIGTERM handler (once per process). */
void r5g_cleanup_install(void);

#endif
