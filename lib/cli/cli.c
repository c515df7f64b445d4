/*
 * cli.c - option parsing, help, man pages and completion from one table.
 *
 * Each program describes its flags once (an ms_flag table, with the
 * choices a flag takes), and everything a user sees of them is made from
 * that table: the parser, the checking of choices (ms_cli_choice), --help,
 * the roff manual page, and the completion scripts (completion.c). The choices
 * themselves are defined where their meaning is (the output formats in
 * medsearch/output.h, the facet kinds in medsearch/search.h).
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <unistring/version.h>

#include "base/util.h"
#include "index/index.h"
#include "xapian/xapian.h"

/* One line: what the message quotes (a path, a query) may hold control
 * characters, which are escaped (see ms_put_escaped). */
static void vsay(const ms_cli *cli, FILE *f, const char *fmt, va_list ap)
{
    char buf[2048], *msg = buf;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n >= (int)sizeof buf) {
        msg = ms_xrealloc(NULL, (size_t)n + 1);
        vsnprintf(msg, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    fprintf(f, "%s: ", cli->prog);
    ms_put_escaped(f, msg, n > 0 ? (size_t)n : 0);
    fputc('\n', f);
    if (msg != buf)
        free(msg);
}

void ms_cli_say(const ms_cli *cli, FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(cli, f, fmt, ap);
    va_end(ap);
}

void ms_cli_error(const ms_cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(cli, stderr, fmt, ap);
    va_end(ap);
}

static const ms_flag *find_long(const ms_cli *cli, const char *name, size_t n)
{
    for (size_t i = 0; i < cli->n_flags; i++)
        if (strlen(cli->flags[i].name) == n && strncmp(cli->flags[i].name, name, n) == 0)
            return &cli->flags[i];
    return NULL;
}

static const ms_flag *find_short(const ms_cli *cli, char c)
{
    for (size_t i = 0; i < cli->n_flags; i++)
        if (cli->flags[i].shrt == c)
            return &cli->flags[i];
    return NULL;
}

/* Whether a, which starts with one '-', is an argument: after the first
 * argument, "-word" is one (a query's "asthma -smoking"), unless it is a
 * short option alone ("-n") or one with a number ("-n5", "-j2"). */
static int word_after_args(const ms_cli *cli, const char *a, size_t n_args)
{
    if (n_args == 0 || a[1] == '-')
        return 0;
    const ms_flag *f = find_short(cli, a[1]);
    if (f && (a[2] == '\0' || (f->arg && strspn(a + 2, "0123456789") == strlen(a + 2))))
        return 0;
    return 1;
}

int ms_cli_parse(const ms_cli *cli, int argc, char **argv, ms_opt *opts, size_t *n_opts,
                 char **args, size_t *n_args)
{
    *n_opts = *n_args = 0;
    int only_args = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == '\0' || word_after_args(cli, a, *n_args)) {
            args[(*n_args)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        }
        const ms_flag *f;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            f = find_long(cli, a + 2, n);
            if (!f) {
                ms_cli_error(cli, "unknown option '--%.*s' (see --help)", (int)n, a + 2);
                return -1;
            }
            if (eq && !f->arg) {
                ms_cli_error(cli, "option '--%s' takes no value", f->name);
                return -1;
            }
            val = eq ? eq + 1 : NULL;
        } else {
            f = find_short(cli, a[1]);
            if (!f) {
                ms_cli_error(cli, "unknown option '-%c' (see --help)", a[1]);
                return -1;
            }
            if (a[2]) {
                if (!f->arg) {
                    ms_cli_error(cli, "option '-%c' takes no value", a[1]);
                    return -1;
                }
                val = a + 2;
            }
        }
        if (f->arg && !val) {
            if (i + 1 >= argc) {
                ms_cli_error(cli, "option '--%s' needs a value (%s)", f->name, f->arg);
                return -1;
            }
            val = argv[++i];
        }
        opts[*n_opts].id = f->id;
        opts[(*n_opts)++].arg = val;
    }
    return 0;
}

/* The space-separated choices of s, written to buf as "a, b, c", or with
 * last_or as "a, b or c". */
static void choices(const char *s, int last_or, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (const char *p = s; *p && o < cap;) {
        size_t l = strcspn(p, " ");
        const char *next = p + l + (p[l] == ' ');
        const char *sep = p == s ? "" : last_or && !*next ? " or " : ", ";
        int n = snprintf(buf + o, cap - o, "%s%.*s", sep, (int)l, p);
        o += n > 0 ? (size_t)n : 0;
        p = next;
    }
}

int ms_cli_choice(const ms_cli *cli, const ms_opt *opt, const char *what, int list)
{
    const ms_flag *f = NULL;
    for (size_t i = 0; i < cli->n_flags && !f; i++)
        if (cli->flags[i].id == opt->id)
            f = &cli->flags[i];
    const char *vals = f && f->values ? f->values : "";
    const char *a = opt->arg;
    for (int first = 1; list ? *a != '\0' : first; first = 0) {
        size_t n = list ? strcspn(a, ",") : strlen(a);
        if (ms_word_index(vals, a, n) < 0) {
            char all[512];
            choices(vals, !what, all, sizeof all);
            if (what)
                ms_cli_error(cli, "unknown %s '%.*s' (%s)", what, (int)n, a, all);
            else
                ms_cli_error(cli, "--%s takes %s, not '%.*s'", f ? f->name : "?", all, (int)n, a);
            return -1;
        }
        a += n + (a[n] == ',');
    }
    return 0;
}

static void flag_label(const ms_flag *f, char *buf, size_t cap)
{
    if (f->shrt)
        snprintf(buf, cap, "-%c, --%s%s%s", f->shrt, f->name, f->arg ? " " : "",
                 f->arg ? f->arg : "");
    else
        snprintf(buf, cap, "    --%s%s%s", f->name, f->arg ? " " : "", f->arg ? f->arg : "");
}

/* The --help text. */
static void print_help(const ms_cli *cli, FILE *f)
{
    fprintf(f, "Usage: %s %s\n%s\n\nOptions:\n", cli->prog, cli->synopsis, cli->summary);
    for (size_t i = 0; i < cli->n_flags; i++) {
        char label[80];
        flag_label(&cli->flags[i], label, sizeof label);
        if (strlen(label) > 26)
            fprintf(f, "  %s\n  %-26s  %s\n", label, "", cli->flags[i].help);
        else
            fprintf(f, "  %-26s  %s\n", label, cli->flags[i].help);
    }
    for (size_t s = 0; s < cli->n_sections; s++) {
        if (strcmp(cli->sections[s].title, "EXIT STATUS") != 0)
            continue;
        fprintf(f, "\nExit status:\n");
        const char *t = cli->sections[s].text;
        for (const char *p = t; *p;) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (n)
                fprintf(f, "  %.*s\n", (int)n, p);
            if (!e)
                break;
            p = e + 1;
        }
    }
    fprintf(f, "\nThe manual (man %s) has the full reference.\n", cli->prog);
}

/* Write s as roff text: escape backslashes and leading dots. */
static void roff(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\e", f);
        else if (s[i] == '-')
            fputs("\\-", f);
        else if ((i == 0 || s[i - 1] == '\n') && (s[i] == '.' || s[i] == '\''))
            fprintf(f, "\\&%c", s[i]);
        else
            fputc(s[i], f);
    }
}

static void roff_str(FILE *f, const char *s)
{
    roff(f, s, strlen(s));
}

/* A section of "TERM: text" lines as a tagged list (.TP): the exit
 * statuses or the variables one under the other, their meaning beside. */
static void roff_list(FILE *f, const char *p)
{
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *colon = memchr(p, ':', n);
        size_t tl = colon ? (size_t)(colon - p) : n;
        fputs(".TP\n.B ", f);
        roff(f, p, tl);
        fputc('\n', f);
        if (colon) {
            size_t skip = tl + 1 + (tl + 1 < n && p[tl + 1] == ' ');
            roff(f, p + skip, n - skip);
            fputc('\n', f);
        }
        if (!e)
            break;
        p = e + 1;
    }
}

/* The manual page, in roff. */
static void print_man(const ms_cli *cli, const char *version, FILE *f)
{
    fprintf(f, ".TH %s 1 \"\" \"medsearch %s\" \"User Commands\"\n.SH NAME\n", cli->prog, version);
    fprintf(f, "%s \\- ", cli->prog);
    roff_str(f, cli->summary);
    fprintf(f, "\n.SH SYNOPSIS\n.B %s\n", cli->prog);
    roff_str(f, cli->synopsis);
    fputs("\n.SH DESCRIPTION\n", f);
    roff_str(f, cli->description);
    fputs("\n.SH OPTIONS\n", f);
    for (size_t i = 0; i < cli->n_flags; i++) {
        const ms_flag *fl = &cli->flags[i];
        fputs(".TP\n", f);
        if (fl->shrt)
            fprintf(f, "\\fB\\-%c\\fR, ", fl->shrt);
        fprintf(f, "\\fB\\-\\-");
        roff_str(f, fl->name);
        fputs("\\fR", f);
        if (fl->arg) {
            fputs(" \\fI", f);
            roff_str(f, fl->arg);
            fputs("\\fR", f);
        }
        fputc('\n', f);
        roff_str(f, fl->help);
        fputc('\n', f);
    }
    for (size_t s = 0; s < cli->n_sections; s++) {
        fprintf(f, ".SH %s\n", cli->sections[s].title);
        const char *p = cli->sections[s].text;
        if (strcmp(cli->sections[s].title, "EXIT STATUS") == 0 ||
            strcmp(cli->sections[s].title, "ENVIRONMENT") == 0) {
            roff_list(f, p);
            continue;
        }
        int in_example = 0;
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            int example = n >= 2 && p[0] == ' ' && p[1] == ' ';
            if (example && !in_example)
                fputs(".nf\n", f);
            if (!example && in_example)
                fputs(".fi\n", f);
            in_example = example;
            if (n == 0)
                fputs(".PP\n", f);
            else {
                roff(f, p, n);
                fputc('\n', f);
            }
            if (!e)
                break;
            p = e + 1;
        }
        if (in_example)
            fputs(".fi\n", f);
    }
}

/* The version report of --version. */
static void print_version(const ms_cli *cli, FILE *f)
{
    /* _libunistring_version is (major << 16) + (minor << 8) + subminor */
    fprintf(f, "%s (medsearch) %s\nxapian %s, libunistring %d.%d.%d, index schema %d\n", cli->prog,
            MEDSEARCH_VERSION, msx_xapian_version(), _libunistring_version >> 16,
            (_libunistring_version >> 8) & 0xff, _libunistring_version & 0xff, MS_SCHEMA_VERSION);
}

int ms_cli_standard(const ms_cli *cli, const ms_opt *opt, const char *extra_words)
{
    switch (opt->id) {
    case MS_FLAG_VERSION:
        print_version(cli, stdout);
        return 0;
    case MS_FLAG_HELP:
        print_help(cli, stdout);
        return 0;
    case MS_FLAG_MAN:
        print_man(cli, ms_version(), stdout);
        return 0;
    case MS_FLAG_COMPLETION:
        if (ms_cli_choice(cli, opt, "shell", 0) < 0)
            return 2;
        ms_cli_completion(cli, opt->arg, extra_words, stdout);
        return 0;
    default:
        return -1;
    }
}
