/* The check that a test cluster from scripts/pg-cluster.sh serves libpq: connects
 * to the URL given as the only argument, runs SELECT 1 and a CREATE TABLE /
 * INSERT / SELECT round trip with parameters, and checks that the server
 * listens on no TCP address. Exits 0 when every step gave what it must. */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

static int fail(PGconn *conn, const char *step, PGresult *res)
{
    fprintf(stderr, "pg_roundtrip: %s: %s", step, PQerrorMessage(conn));
    PQclear(res);
    PQfinish(conn);
    return 1;
}

/* Runs sql with params and checks its status; the result is the caller's. */
static PGresult *run(PGconn *conn, const char *sql, int n, const char *const *params,
                     ExecStatusType want)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != want) {
        PQclear(res);
        return NULL;
    }
    return res;
}

/* True when res is one row of one column holding want. */
static int one_value(const PGresult *res, const char *want)
{
    return PQntuples(res) == 1 && PQnfields(res) == 1 && !PQgetisnull(res, 0, 0) &&
           strcmp(PQgetvalue(res, 0, 0), want) == 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pg_roundtrip URL\n");
        return 2;
    }
    PGconn *conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK)
        return fail(conn, "connect", NULL);

    PGresult *res = run(conn, "SELECT 1", 0, NULL, PGRES_TUPLES_OK);
    if (!res || !one_value(res, "1"))
        return fail(conn, "SELECT 1", res);
    PQclear(res);

    res = run(conn, "SELECT current_database()", 0, NULL, PGRES_TUPLES_OK);
    if (!res || !one_value(res, "sls_test"))
        return fail(conn, "the database is not sls_test", res);
    PQclear(res);

    /* The cluster is private: a Unix socket only, no TCP listener. */
    res = run(conn, "SHOW listen_addresses", 0, NULL, PGRES_TUPLES_OK);
    if (!res || !one_value(res, ""))
        return fail(conn, "the server listens on TCP", res);
    PQclear(res);

    res = run(conn, "CREATE TABLE roundtrip (id integer PRIMARY KEY, name text NOT NULL)", 0, NULL,
              PGRES_COMMAND_OK);
    if (!res)
        return fail(conn, "CREATE TABLE", res);
    PQclear(res);

    const char *row1[] = {"1", "first 'quoted' name"};
    const char *row2[] = {"2", "zweiter Name, ß"};
    const char *insert = "INSERT INTO roundtrip (id, name) VALUES ($1, $2)";
    res = run(conn, insert, 2, row1, PGRES_COMMAND_OK);
    if (!res || strcmp(PQcmdTuples(res), "1") != 0)
        return fail(conn, "INSERT 1", res);
    PQclear(res);
    res = run(conn, insert, 2, row2, PGRES_COMMAND_OK);
    if (!res || strcmp(PQcmdTuples(res), "1") != 0)
        return fail(conn, "INSERT 2", res);
    PQclear(res);

    /* The primary key holds: a second row 1 is refused. */
    res = run(conn, insert, 2, row1, PGRES_COMMAND_OK);
    if (res)
        return fail(conn, "a duplicate key was accepted", res);

    const char *id[] = {"2"};
    res = run(conn, "SELECT name FROM roundtrip WHERE id = $1", 1, id, PGRES_TUPLES_OK);
    if (!res || !one_value(res, row2[1]))
        return fail(conn, "SELECT row 2", res);
    PQclear(res);

    res = run(conn, "SELECT count(*) FROM roundtrip", 0, NULL, PGRES_TUPLES_OK);
    if (!res || !one_value(res, "2"))
        return fail(conn, "SELECT count", res);
    PQclear(res);

    printf("pg_roundtrip: server %d, SELECT 1 and the table round trip passed\n",
           PQserverVersion(conn));
    PQfinish(conn);
    return 0;
}
