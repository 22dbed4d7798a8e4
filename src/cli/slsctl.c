/* slsctl: the service-desk / operator command-line client of the sls admin
 * API. Parses the command line, sends one request, prints the answer; the
 * commands themselves are in cli/common/ctl.c. */
#include <stdio.h>
#include <string.h>

#include "cli/common/args.h"
#include "cli/common/ctl.h"
#include "cli/common/ctl_import.h"
#include "cli/common/http_client.h"
#include "crypto/crypto.h"
#include "sls_version.h"

#define ERR_LEN 1024

static int usage_error(const char *msg)
{
    fprintf(stderr, "slsctl: %s (see slsctl --help)\n", msg);
    return SLS_EXIT_USAGE;
}

/* "help", "help COMMAND...": prints to stdout. */
static int help(int argc, char *const *argv)
{
    if (argc == 0) {
        sls_ctl_help(NULL, stdout);
        return SLS_EXIT_OK;
    }
    int words;
    const struct sls_ctl_command *cmd = sls_ctl_find(argc, argv, &words);
    if (cmd != NULL && words == argc) {
        sls_ctl_help(cmd, stdout);
        return SLS_EXIT_OK;
    }
    if (sls_ctl_help_words(argc, argv, stdout) > 0)
        return SLS_EXIT_OK;
    char msg[256];
    snprintf(msg, sizeof(msg), "no command '%s'", argv[0]);
    return usage_error(msg);
}

static void print_json(const json_t *body, FILE *out)
{
    if (body == NULL)
        fputs("{}", out);
    else
        json_dumpf(body, out, JSON_INDENT(2) | JSON_ENCODE_ANY);
    fputc('\n', out);
}

/* Sends req and prints the answer. Returns the exit status. */
static int run(const struct sls_ctl_command *cmd, const struct sls_args *a,
               const struct sls_ctl_request *req, const char *server, const char *token, bool json)
{
    int status = SLS_EXIT_FAIL;
    struct sls_http_response resp = {0};
    char err[ERR_LEN];
    struct sls_http_client *client = sls_http_client_new(server, token);

    if (client == NULL) {
        snprintf(err, sizeof(err), "bad server URL '%s' (want http://HOST:PORT)", server);
        status = usage_error(err);
        goto out;
    }
    if (req->import_path != NULL) {
        status = sls_ctl_import_run(client, req->import_path, req->import_batch, stdout, stderr);
        goto out;
    }
    int sent = req->raw != NULL
                   ? sls_http_client_request_raw_headers(
                         client, req->method, req->path, req->raw_type, req->raw, req->raw_len,
                         (const char *const *)req->headers, &resp, err, sizeof(err))
                   : sls_http_client_request(client, req->method, req->path, req->body, &resp, err,
                                             sizeof(err));
    if (sent != 0) {
        fprintf(stderr, "slsctl: %s\n", err);
        goto out;
    }
    if (resp.status < 200 || resp.status > 299) {
        sls_http_client_describe_error(&resp, err, sizeof(err));
        fprintf(stderr, "slsctl: %s: %s\n", sls_ctl_name(cmd), err);
        if (json && resp.body)
            print_json(resp.body, stdout);
        goto out;
    }
    if (json)
        print_json(resp.body, stdout);
    else
        sls_ctl_print(cmd, a, req, resp.body, stdout);
    status = sls_ctl_answer_status(cmd, resp.body);
out:
    if (fflush(stdout) != 0 && status == SLS_EXIT_OK) {
        fprintf(stderr, "slsctl: cannot write the output\n");
        status = SLS_EXIT_FAIL;
    }
    sls_http_client_response_clear(&resp);
    sls_http_client_free(client);
    return status;
}

int main(int argc, char **argv)
{
    int status;
    struct sls_args global, args;
    struct sls_ctl_request req = {0};
    char token[SLS_CTL_MAX_TOKEN];
    char err[ERR_LEN];
    int used = 0, words = 0;

    token[0] = '\0';
    argc--;
    argv++;
    if (argc == 1 && strcmp(argv[0], "--version") == 0) {
        puts("slsctl " SLS_VERSION);
        return SLS_EXIT_OK;
    }
    /* Global options before the command. */
    sls_args_init(&global);
    if (sls_ctl_add_global_opts(&global) != 0 ||
        sls_args_parse(&global, argc, argv, true, &used, err, sizeof(err)) != 0) {
        status = usage_error(err);
        goto out;
    }
    argc -= used;
    argv += used;
    if (sls_args_has(&global, "help")) {
        sls_ctl_help(NULL, stdout);
        status = SLS_EXIT_OK;
        goto out;
    }
    if (argc == 0) {
        status = usage_error("no command given");
        goto out;
    }
    if (strcmp(argv[0], "help") == 0) {
        status = help(argc - 1, argv + 1);
        goto out;
    }
    const struct sls_ctl_command *cmd = sls_ctl_find(argc, argv, &words);
    if (cmd == NULL) {
        if (sls_ctl_help_words(1, argv, NULL) > 0) {
            fprintf(stderr, "slsctl: '%s' needs a subcommand (see slsctl help %s)\n", argv[0],
                    argv[0]);
            status = SLS_EXIT_USAGE;
            goto out;
        }
        snprintf(err, sizeof(err), "unknown command '%s'", argv[0]);
        status = usage_error(err);
        goto out;
    }
    if (sls_ctl_parse(cmd, argc - words, argv + words, &args, err, sizeof(err)) != 0) {
        status = usage_error(err);
        goto out;
    }
    if (sls_args_has(&args, "help")) {
        sls_ctl_help(cmd, stdout);
        status = SLS_EXIT_OK;
        goto out;
    }
    /* Randomness for values slsctl chooses (a PIN reset without --pin). */
    if (sls_crypto_init() != 0) {
        fprintf(stderr, "slsctl: cannot initialise the random number generator\n");
        status = SLS_EXIT_FAIL;
        goto out;
    }
    if (sls_ctl_build(cmd, &args, &req, err, sizeof(err)) != 0) {
        status = usage_error(err);
        goto out;
    }

    /* Global options after the command win over those before it. */
    const char *server_opt = sls_args_get(&args, "server");
    const char *token_opt = sls_args_get(&args, "token");
    if (server_opt == NULL)
        server_opt = sls_args_get(&global, "server");
    if (token_opt == NULL)
        token_opt = sls_args_get(&global, "token");
    bool json = sls_args_has(&args, "json") || sls_args_has(&global, "json");

    if (req.needs_token && sls_ctl_token(token_opt, token, sizeof(token), err, sizeof(err)) != 0) {
        status = usage_error(err);
        goto out;
    }
    status =
        run(cmd, &args, &req, sls_ctl_server(server_opt), req.needs_token ? token : NULL, json);
out:
    explicit_bzero(token, sizeof(token));
    sls_ctl_request_clear(&req);
    return status;
}
