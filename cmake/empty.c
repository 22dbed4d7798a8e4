/* Keeps a library target valid while it has no other source: ISO C forbids an empty unit. */
typedef int sls_empty_unit;
