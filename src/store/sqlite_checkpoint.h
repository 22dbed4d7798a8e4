/* The WAL checkpoint of the SQLite store, off the commit path: the writer's
 * connection no longer copies WAL frames into the database file inside its
 * COMMIT (SQLite's auto-checkpoint, which made every job of that batch wait
 * for the copy and its fsync). Instead, after a commit that leaves the WAL at
 * SLS_SQLITE_CHECKPOINT_PAGES or more, the writer wakes a thread of its own
 * that runs a PASSIVE checkpoint on a connection of its own, while the writer
 * goes on with the next batch. A PASSIVE checkpoint never blocks the writer or
 * the readers; SQLite restarts the WAL from its beginning at the next write
 * once every frame has been copied and no reader needs them. Private to the
 * store. */
#ifndef SLS_STORE_SQLITE_CHECKPOINT_H
#define SLS_STORE_SQLITE_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

/* WAL pages after which a checkpoint is due: SQLite's own auto-checkpoint
 * default. */
#define SLS_SQLITE_CHECKPOINT_PAGES 1000

struct sls_sqlite_checkpointer;

/* Opens its connection to the file at path and starts its thread, then hands
 * the checkpoints of writer (the writer's connection) to it: writer's
 * auto-checkpoint is turned off. Returns SLS_OK or a store error with the
 * reason in why. */
int sls_sqlite_checkpointer_start(const char *path, int64_t max_bytes, sqlite3 *writer,
                                  struct sls_sqlite_checkpointer **out, char *why, size_t whylen);

/* Checkpoints run so far (for tests and metrics). */
uint64_t sls_sqlite_checkpointer_runs(struct sls_sqlite_checkpointer *cp);

/* Takes the writer's WAL hook back (its later commits checkpoint nothing:
 * stop before the writer's last commits only when closing), stops the thread
 * after the checkpoint it may be running and closes its connection. NULL is
 * ignored. */
void sls_sqlite_checkpointer_stop(struct sls_sqlite_checkpointer *cp);

#endif
