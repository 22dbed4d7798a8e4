/* slstoken: a security device emulator. Computes what a challenge/response
 * device or a security code card would show, makes random cards and secrets,
 * and plays the mobile authenticator app (`app ...`). A table of
 * subcommands; the computations are in cli/common/token.c, the app in
 * cli/common/token_app.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/common/args.h"
#include "cli/common/token.h"
#include "cli/common/token_app.h"
#include "crypto/crypto.h"
#include "crypto/secmem.h"
#include "sls_version.h"

#define ERR_LEN 512

struct command {
    struct sls_args_command cmd;
    const struct sls_args_opt *opts;
    size_t nopts;
    size_t min_pos, max_pos;
    int (*run)(const struct sls_args *a, bool json);
};

static int usage_error(const char *msg)
{
    fprintf(stderr, "slstoken: %s (see slstoken --help)\n", msg);
    return SLS_EXIT_USAGE;
}

/* Exit status for an error of token.c: bad input is a usage error. */
static int token_error(int err)
{
    if (err == SLS_TOKEN_ERR_NOMEM || err == SLS_TOKEN_ERR_BUFFER) {
        fprintf(stderr, "slstoken: %s\n", sls_token_err_message(err));
        return SLS_EXIT_FAIL;
    }
    return usage_error(sls_token_err_message(err));
}

static int missing(const char *what)
{
    char msg[128];
    snprintf(msg, sizeof(msg), "%s is required", what);
    return usage_error(msg);
}

/* Prints value alone, or {"key": value} with --json. */
static int print_result(const char *key, json_t *value, bool json)
{
    int rc = SLS_EXIT_FAIL;
    json_t *wrap = NULL;
    if (value == NULL)
        goto out;
    if (json) {
        wrap = json_object();
        if (wrap == NULL || json_object_set(wrap, key, value) != 0)
            goto out;
        if (json_dumpf(wrap, stdout, JSON_COMPACT) != 0)
            goto out;
    } else if (json_is_string(value)) {
        fputs(json_string_value(value), stdout);
    } else if (json_dumpf(value, stdout, JSON_COMPACT) != 0) {
        goto out;
    }
    fputc('\n', stdout);
    rc = fflush(stdout) == 0 ? SLS_EXIT_OK : SLS_EXIT_FAIL;
out:
    if (rc != SLS_EXIT_OK)
        fprintf(stderr, "slstoken: cannot write the result\n");
    json_decref(wrap);
    return rc;
}

static int print_string(const char *key, const char *value, bool json)
{
    json_t *v = json_string(value);
    int rc = print_result(key, v, json);
    json_decref(v);
    return rc;
}

/* ---- respond ---- */

static const struct sls_args_opt respond_opts[] = {
    {"type", SLS_ARGS_VALUE},
    {"secret", SLS_ARGS_VALUE},
    {"pin", SLS_ARGS_VALUE},
};

static int run_respond(const struct sls_args *a, bool json)
{
    char out[SLS_TOKEN_RESPONSE_LEN + 1];
    if (!sls_args_has(a, "type"))
        return missing("--type");
    if (!sls_args_has(a, "secret"))
        return missing("--secret");
    int err = sls_token_respond(sls_args_get(a, "type"), sls_args_get(a, "secret"),
                                sls_args_get(a, "pin"), a->pos[0], out, sizeof(out));
    if (err == SLS_TOKEN_ERR_PIN)
        return usage_error("this device type hashes its PIN into the response: --pin is required");
    if (err != SLS_TOKEN_OK)
        return token_error(err);
    int rc = print_string("response", out, json);
    sls_wipe(out, sizeof(out));
    return rc;
}

/* ---- ocra ---- */

static const struct sls_args_opt ocra_opts[] = {
    {"suite", SLS_ARGS_VALUE},   {"secret", SLS_ARGS_VALUE},  {"pin", SLS_ARGS_VALUE},
    {"counter", SLS_ARGS_VALUE}, {"session", SLS_ARGS_VALUE}, {"time-steps", SLS_ARGS_VALUE},
};

static int run_ocra(const struct sls_args *a, bool json)
{
    char out[16];
    uint64_t step = 0;
    struct sls_token_ocra_req req = {
        .suite = sls_args_get(a, "suite"),
        .secret_hex = sls_args_get(a, "secret"),
        .pin = sls_args_get(a, "pin"),
        .session = sls_args_get(a, "session"),
        .question = a->pos[0],
    };
    if (req.suite == NULL)
        return missing("--suite");
    if (req.secret_hex == NULL)
        return missing("--secret");
    const char *counter = sls_args_get(a, "counter");
    if (counter && sls_args_u64(counter, 0, UINT64_MAX, &req.counter) != 0)
        return usage_error("--counter must be a whole number");
    int has_t = sls_token_time_step(req.suite, &step);
    if (has_t != SLS_TOKEN_OK && has_t != 1)
        return token_error(has_t);
    const char *steps = sls_args_get(a, "time-steps");
    if (steps) {
        if (sls_args_u64(steps, 0, UINT64_MAX, &req.timesteps) != 0)
            return usage_error("--time-steps must be a whole number");
    } else if (has_t == SLS_TOKEN_OK) {
        req.timesteps = (uint64_t)time(NULL) / step;
    }
    int err = sls_token_ocra(&req, out, sizeof(out));
    if (err != SLS_TOKEN_OK)
        return token_error(err);
    int rc = print_string("response", out, json);
    sls_wipe(out, sizeof(out));
    return rc;
}

/* ---- card ---- */

static const struct sls_args_opt card_opts[] = {
    {"cells", SLS_ARGS_VALUE},
    {"generate", SLS_ARGS_FLAG},
    {"count", SLS_ARGS_VALUE},
};

static int card_generate(const struct sls_args *a, bool json)
{
    uint64_t count = SLS_TOKEN_CARD_CELLS;
    json_t *cells = NULL;
    const char *c = sls_args_get(a, "count");
    if (a->npos != 0 || sls_args_has(a, "cells"))
        return usage_error("card --generate takes no --cells and no indexes");
    if (c && sls_args_u64(c, 1, SLS_TOKEN_MAX_CELLS, &count) != 0)
        return usage_error("--count must be a number from 1 to 1000");
    int err = sls_token_card_generate((size_t)count, &cells);
    if (err != SLS_TOKEN_OK)
        return token_error(err);
    int rc = print_result("cells", cells, json);
    json_decref(cells);
    return rc;
}

static int run_card(const struct sls_args *a, bool json)
{
    char cells_err[ERR_LEN];
    char *cells = NULL;
    char out[2 * SLS_TOKEN_CELL_LEN + 1];
    int rc;

    if (sls_args_has(a, "generate"))
        return card_generate(a, json);
    if (sls_args_has(a, "count"))
        return usage_error("--count goes with --generate");
    if (!sls_args_has(a, "cells"))
        return missing("--cells (or --generate)");
    if (a->npos != 2)
        return usage_error("card --cells JSON|@FILE needs two indexes");
    if (sls_args_load(sls_args_get(a, "cells"), &cells, cells_err, sizeof(cells_err)) != 0)
        return usage_error(cells_err);
    int err = sls_token_card_lookup(cells, a->pos[0], a->pos[1], out, sizeof(out));
    if (err != SLS_TOKEN_OK) {
        rc = token_error(err);
        goto out;
    }
    rc = print_string("response", out, json);
out:
    sls_wipe(out, sizeof(out));
    if (cells)
        sls_wipe(cells, strlen(cells));
    free(cells);
    return rc;
}

/* ---- secret ---- */

static const struct sls_args_opt secret_opts[] = {
    {"generate", SLS_ARGS_FLAG},
    {"bytes", SLS_ARGS_VALUE},
};

static int run_secret(const struct sls_args *a, bool json)
{
    uint64_t nbytes = 20;
    char out[2 * 64 + 1];
    if (!sls_args_has(a, "generate"))
        return missing("--generate");
    const char *b = sls_args_get(a, "bytes");
    if (b && (sls_args_u64(b, 1, 64, &nbytes) != 0))
        return token_error(SLS_TOKEN_ERR_BYTES);
    int err = sls_token_secret_generate((size_t)nbytes, out, sizeof(out));
    if (err != SLS_TOKEN_OK)
        return token_error(err);
    int rc = print_string("secret_hex", out, json);
    sls_wipe(out, sizeof(out));
    return rc;
}

/* ---- app: the mobile authenticator (token_app.c) ---- */

static const struct sls_args_opt app_activate_opts[] = {
    {"state", SLS_ARGS_VALUE},
    {"server", SLS_ARGS_VALUE},
    {"user", SLS_ARGS_VALUE},
    {"password", SLS_ARGS_VALUE},
    {"phone-country", SLS_ARGS_VALUE},
    {"phone-number", SLS_ARGS_VALUE},
    {"mode", SLS_ARGS_VALUE},
    {"code", SLS_ARGS_VALUE},
    {"device-response", SLS_ARGS_VALUE},
};

static const struct sls_args_opt app_server_opts[] = {
    {"state", SLS_ARGS_VALUE},
    {"server", SLS_ARGS_VALUE},
};

static const struct sls_args_opt app_decide_opts[] = {
    {"state", SLS_ARGS_VALUE},
    {"server", SLS_ARGS_VALUE},
    {"auth", SLS_ARGS_VALUE},
    {"number", SLS_ARGS_VALUE},
};

static const struct sls_args_opt app_respond_opts[] = {
    {"state", SLS_ARGS_VALUE},
    {"user", SLS_ARGS_VALUE},
};

static const struct sls_args_opt app_state_opts[] = {
    {"state", SLS_ARGS_VALUE},
};

static int run_app_approve(const struct sls_args *a, bool json)
{
    return sls_token_app_decide(a, json, true);
}

static int run_app_deny(const struct sls_args *a, bool json)
{
    return sls_token_app_decide(a, json, false);
}

/* ---- the table ---- */

#define OPTS(o) o, sizeof(o) / sizeof(o[0])

static const struct command commands[] = {
    {{"respond", "--type dsc_plus|dsc|platinum|gold|ibkey --secret HEX [--pin PIN] CHALLENGE",
      "the 8-digit response a device shows for a 6-digit challenge\n"
      "      (dsc_plus and dsc hash their 4-digit PIN in and need --pin)"},
     OPTS(respond_opts),
     1,
     1,
     run_respond},
    {{"ocra",
      "--suite SUITE --secret HEX [--pin PIN] [--counter N] [--session S]\n"
      "        [--time-steps N] QUESTION",
      "the response of any OCRA suite (RFC 6287); T suites use the clock\n"
      "      unless --time-steps is given"},
     OPTS(ocra_opts),
     1,
     1,
     run_ocra},
    {{"card", "--cells JSON|@FILE INDEX INDEX",
      "the two 3-digit cells of a security code card, joined (6 digits)"},
     OPTS(card_opts),
     0,
     2,
     run_card},
    {{"card", "--generate [--count 100]", "a new random card as a JSON object of cells"},
     OPTS(card_opts),
     0,
     2,
     run_card},
    {{"secret", "--generate [--bytes 20|32|64]", "a new random secret, in hex"},
     OPTS(secret_opts),
     0,
     0,
     run_secret},
    {{"app activate",
      "--user U [--server URL] [--password P] [--phone-country C --phone-number N]\n"
      "        [--mode pin|biometric] [--code CODE] [--device-response R] [--state FILE]",
      "activate the mobile authenticator app for a user (another user: add\n"
      "      user, same key); the password comes from --password, $SLSTOKEN_PASSWORD\n"
      "      or standard input; the code goes to a phone on record (the first one\n"
      "      without a phone); without --code it is read from the dev outbox of a\n"
      "      --dev server; a user holding a security device gets its challenge\n"
      "      printed (exit 1): run again with --device-response R to complete"},
     OPTS(app_activate_opts),
     0,
     0,
     sls_token_app_activate},
    {{"app pending", "[--server URL] [--state FILE]",
      "the push requests waiting for the app's users (signed request)"},
     OPTS(app_server_opts),
     0,
     0,
     sls_token_app_pending},
    {{"app approve", "[PUSH_ID] [--number N] [--auth pin|biometric] [--server URL] [--state FILE]",
      "approve a push request (without PUSH_ID: the only pending one);\n"
      "      --number: the two digits shown on the login or step-up page (required\n"
      "      when the server matches numbers); --auth defaults to the mode chosen\n"
      "      at activation"},
     OPTS(app_decide_opts),
     0,
     1,
     run_app_approve},
    {{"app deny", "[PUSH_ID] [--server URL] [--state FILE]",
      "deny a push request (without PUSH_ID: the only pending one)"},
     OPTS(app_decide_opts),
     0,
     1,
     run_app_deny},
    {{"app respond", "[--user U] [--state FILE] CHALLENGE",
      "the app's response to a fallback challenge (OCRA-1:HOTP-SHA256-8:QN06)"},
     OPTS(app_respond_opts),
     1,
     1,
     sls_token_app_respond},
    {{"app users", "[--state FILE]", "the users the app holds, with their device ids"},
     OPTS(app_state_opts),
     0,
     0,
     sls_token_app_users},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct sls_args_opt global_opts[] = {
    {"json", SLS_ARGS_FLAG},
    {"help", SLS_ARGS_FLAG},
};

/* All commands (argc 0), or those whose names begin with the argc words.
 * Returns how many were printed. */
static size_t help(int argc, char *const *argv, FILE *out)
{
    size_t n = 0;
    if (argc == 0)
        fputs("usage: slstoken [--json] COMMAND [ARGS]\n"
              "\n"
              "Computes what sls security devices show, for demos, tests and people\n"
              "without the hardware.\n"
              "\n"
              "commands:\n",
              out);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const struct command *c = &commands[i];
        if (!sls_args_prefix(c->cmd.name, argc, argv))
            continue;
        fprintf(out, "%s%s %s\n      %s\n", argc ? "usage: slstoken " : "  ", c->cmd.name,
                c->cmd.usage, c->cmd.summary);
        n++;
    }
    if (argc)
        return n;
    fputs("  help [COMMAND]\n"
          "      print this help, or the help of one command\n"
          "\n"
          "options:\n"
          "  --json      print {\"response\": ...}, {\"cells\": {...}} or {\"secret_hex\": ...}\n"
          "  --help      print this help\n"
          "  --version   print the version and exit (alone on the line)\n"
          "\n"
          "The app keeps its key and users in --state FILE, else $SLSTOKEN_APP_STATE,\n"
          "else $HOME/.slstoken/app.json (mode 0600). Against a server started with\n"
          "--dev it follows the server's development clock when signing.\n"
          "\n"
          "exit status: 0 done, 1 failure, 2 bad command line or input\n",
          out);
    return n;
}

/* The command whose name is the most words at the start of argv. */
static const struct command *find(int argc, char *const *argv, int *words)
{
    const struct command *best = NULL;
    *words = 0;
    for (size_t i = 0; i < N_COMMANDS; i++) {
        int w = sls_args_words(commands[i].cmd.name, argc, argv);
        if (w > *words) {
            *words = w;
            best = &commands[i];
        }
    }
    return best;
}

int main(int argc, char **argv)
{
    struct sls_args global, args;
    char err[ERR_LEN];
    int used = 0, words = 0;

    argc--;
    argv++;
    if (argc == 1 && strcmp(argv[0], "--version") == 0) {
        puts("slstoken " SLS_VERSION);
        return SLS_EXIT_OK;
    }
    sls_args_init(&global);
    if (sls_args_add_opts(&global, OPTS(global_opts)) != 0 ||
        sls_args_parse(&global, argc, argv, true, &used, err, sizeof(err)) != 0)
        return usage_error(err);
    argc -= used;
    argv += used;
    if (sls_args_has(&global, "help")) {
        help(0, NULL, stdout);
        return SLS_EXIT_OK;
    }
    if (argc == 0)
        return usage_error("no command given");
    if (strcmp(argv[0], "help") == 0) {
        if (argc > 1 && help(argc - 1, argv + 1, stdout) == 0) {
            snprintf(err, sizeof(err), "no command '%s'", argv[1]);
            return usage_error(err);
        }
        if (argc == 1)
            help(0, NULL, stdout);
        return SLS_EXIT_OK;
    }
    const struct command *cmd = find(argc, argv, &words);
    if (cmd == NULL && help(1, argv, stderr) > 0)
        return usage_error("incomplete command");
    if (cmd == NULL) {
        snprintf(err, sizeof(err), "unknown command '%s'", argv[0]);
        return usage_error(err);
    }
    sls_args_init(&args);
    if (sls_args_add_opts(&args, OPTS(global_opts)) != 0 ||
        sls_args_add_opts(&args, cmd->opts, cmd->nopts) != 0) {
        fprintf(stderr, "slstoken: internal error: bad option table\n");
        return SLS_EXIT_FAIL;
    }
    if (sls_args_parse(&args, argc - words, argv + words, false, NULL, err, sizeof(err)) != 0)
        return usage_error(err);
    if (sls_args_has(&args, "help")) {
        help(words, argv, stdout);
        return SLS_EXIT_OK;
    }
    if (args.npos < cmd->min_pos || args.npos > cmd->max_pos) {
        snprintf(err, sizeof(err), "usage: slstoken %s %s", cmd->cmd.name, cmd->cmd.usage);
        char *nl = strchr(err, '\n');
        if (nl)
            snprintf(nl, sizeof(err) - (size_t)(nl - err), " ...");
        return usage_error(err);
    }
    if (sls_crypto_init() != 0) {
        fprintf(stderr, "slstoken: cannot start the crypto library\n");
        return SLS_EXIT_FAIL;
    }
    return cmd->run(&args, sls_args_has(&global, "json") || sls_args_has(&args, "json"));
}
