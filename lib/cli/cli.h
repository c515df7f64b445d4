/*
 * medsearch/cli.h - one flag table per program, the single source of truth
 * for option parsing, --help, the man page and shell completion.
 */
#ifndef MEDSEARCH_CLI_H
#define MEDSEARCH_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "medsearch.h" /* ms_version */

typedef struct ms_flag {
    int id;             /* returned by ms_cli_parse */
    char shrt;          /* short option letter, or 0 */
    const char *name;   /* long option name */
    const char *arg;    /* argument name, or NULL for a switch */
    const char *help;   /* one line */
    const char *values; /* space-separated values for completion (and the choices
                           ms_cli_choice allows), or NULL */
} ms_flag;

typedef struct ms_man_section {
    const char *title; /* e.g. "QUERY SYNTAX" */
    const char *text;  /* paragraphs separated by blank lines; lines starting with
                          two spaces are kept as they are (examples) */
} ms_man_section;

typedef struct ms_cli {
    const char *prog;
    const char *synopsis; /* "[OPTION]... QUERY..." */
    const char *summary;  /* one line */
    const char *description;
    const ms_flag *flags;
    size_t n_flags;
    const ms_man_section *sections;
    size_t n_sections;
} ms_cli;

/* The shells --completion writes for (ms_cli_completion). */
#define MS_CLI_SHELLS "bash zsh fish"

/* Flag ids that ms_cli_standard() handles the same way in every program. */
enum { MS_FLAG_VERSION = 1000, MS_FLAG_HELP, MS_FLAG_MAN, MS_FLAG_COMPLETION };

/* The rows of the flags every program has, to end its table with. */
/* clang-format off */
#define MS_STANDARD_FLAGS                                                                  \
    {MS_FLAG_VERSION, 0, "version", NULL, "print versions and exit", NULL},                \
    {MS_FLAG_HELP, 'h', "help", NULL, "print this help and exit", NULL},                   \
    {MS_FLAG_MAN, 0, "man", NULL, "print the manual page (roff) and exit", NULL},          \
    {MS_FLAG_COMPLETION, 0, "completion", "SHELL",                                         \
     "print a completion script (bash, zsh or fish) and exit", MS_CLI_SHELLS}
/* clang-format on */

/* A parsed option: flag id and its argument (or NULL). */
typedef struct ms_opt {
    int id;
    const char *arg;
} ms_opt;

/* Parse argv: options (anywhere, GNU style, "--" ends them) into opts,
 * the other arguments into args (both arrays of argc entries, caller-owned).
 * Returns 0, or -1 after printing "PROG: message" for a bad option. */
int ms_cli_parse(const ms_cli *cli, int argc, char **argv, ms_opt *opts, size_t *n_opts,
                 char **args, size_t *n_args);
/* Check the argument of opt against the choices of its flag (the values of
 * its row in cli's table): one of them, or with list a comma-separated list
 * of them (empty items are not). Returns 0, or -1 after printing for the
 * first that is not one "PROG: unknown WHAT 'ARG' (a, b, c)", or with what
 * NULL "PROG: --NAME takes a, b or c, not 'ARG'". */
int ms_cli_choice(const ms_cli *cli, const ms_opt *opt, const char *what, int list);
/* Handle --version, --help, --man and --completion SHELL (extra_words: the
 * words completion offers besides options, or NULL for file names). Returns
 * the exit status when opt was one of them, -1 otherwise. */
int ms_cli_standard(const ms_cli *cli, const ms_opt *opt, const char *extra_words);
/* Write the completion script of cli's program for shell (a word of
 * MS_CLI_SHELLS) on f: extra_words are the words its other arguments
 * complete to, or NULL for file names. Returns -1 for another shell. */
int ms_cli_completion(const ms_cli *cli, const char *shell, const char *extra_words, FILE *f);
/* Print "PROG: message" on stderr. */
void ms_cli_error(const ms_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same on f (a batch worker collects a query's messages in memory). */
void ms_cli_say(const ms_cli *cli, FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
