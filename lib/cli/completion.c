/*
 * cli/completion.c - shell completion for bash, zsh and fish, made from
 * a program's flag table (cli.h) like its --help and man page.
 *
 * What an option's argument completes to follows from its row: its
 * choices when it has some; the stemming languages of this Xapian (and
 * none) for a LANG; directories for a DIR; file names for a PATH or FILE;
 * nothing for the others (a number). The other arguments complete to the
 * program's words (medquery's query fields, "drug:" and the like), with no
 * space after a word that ends in ':' so that the name follows, or else
 * to file names.
 */
#include <string.h>

#include "cli/cli.h"
#include "xapian/xapian.h"

typedef enum { ARG_NONE, ARG_WORDS, ARG_DIRS, ARG_FILES } arg_kind;

/* How fl's argument completes, and its words (for ARG_WORDS). */
static arg_kind arg_of(const ms_flag *fl, const char **words)
{
    *words = fl->values;
    if (fl->values)
        return ARG_WORDS;
    if (strcmp(fl->arg, "LANG") == 0) {
        *words = NULL; /* (msx_stem_languages() and none) */
        return ARG_WORDS;
    }
    if (strstr(fl->arg, "DIR"))
        return ARG_DIRS;
    if (strstr(fl->arg, "PATH") || strstr(fl->arg, "FILE"))
        return ARG_FILES;
    return ARG_NONE;
}

/* The words of an ARG_WORDS argument. */
static void put_words(FILE *f, const char *words)
{
    if (words)
        fputs(words, f);
    else
        fprintf(f, "%s none", msx_stem_languages());
}

/* s for between single quotes in a shell script (zsh: also inside an
 * _arguments description, which ends at ']'; fish: with \' escapes). */
static void put_quoted(FILE *f, const char *s, int zsh)
{
    for (; *s; s++) {
        if (*s == '\'')
            fputs(zsh ? "'\\''" : "\\'", f);
        else if (zsh && (*s == '[' || *s == ']' || *s == ':' || *s == '\\'))
            fprintf(f, "\\%c", *s);
        else if (!zsh && *s == '\\')
            fputs("\\\\", f);
        else
            fputc(*s, f);
    }
}

static void bash(const ms_cli *cli, const char *extra_words, FILE *f)
{
    fprintf(f,
            "_%s()\n{\n    local cur prev\n    cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
            "    prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n    case \"$prev\" in\n",
            cli->prog);
    for (size_t i = 0; i < cli->n_flags; i++) {
        const ms_flag *fl = &cli->flags[i];
        if (!fl->arg)
            continue;
        fprintf(f, "        --%s", fl->name);
        if (fl->shrt)
            fprintf(f, "|-%c", fl->shrt);
        const char *words;
        switch (arg_of(fl, &words)) {
        case ARG_WORDS:
            fputs(")\n            COMPREPLY=($(compgen -W \"", f);
            put_words(f, words);
            fputs("\" -- \"$cur\")); return ;;\n", f);
            break;
        case ARG_DIRS:
            fputs(")\n            COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", f);
            break;
        case ARG_FILES:
            fputs(")\n            COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", f);
            break;
        case ARG_NONE:
            fputs(")\n            return ;;\n", f);
            break;
        }
    }
    fprintf(f, "    esac\n    if [[ \"$cur\" == -* ]]; then\n        COMPREPLY=($(compgen -W \"");
    for (size_t i = 0; i < cli->n_flags; i++)
        fprintf(f, "%s--%s", i ? " " : "", cli->flags[i].name);
    fprintf(f, "\" -- \"$cur\"))\n");
    if (extra_words)
        fprintf(f,
                "    else\n        COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))\n"
                "        # a field name is followed by its value, not a space\n"
                "        [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *: ]] &&\n"
                "            compopt -o nospace 2>/dev/null\n",
                extra_words);
    else
        fprintf(f, "    else\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n");
    fprintf(f, "    fi\n    return 0\n}\ncomplete -F _%s %s\n", cli->prog, cli->prog);
}

static void zsh(const ms_cli *cli, const char *extra_words, FILE *f)
{
    fprintf(f, "#compdef %s\n\n_%s() {\n    local state\n    _arguments -s \\\n", cli->prog,
            cli->prog);
    for (size_t i = 0; i < cli->n_flags; i++) {
        const ms_flag *fl = &cli->flags[i];
        for (int form = fl->shrt ? 0 : 1; form < 2; form++) {
            if (form == 0)
                fprintf(f, "        '-%c[", fl->shrt);
            else
                fprintf(f, "        '--%s[", fl->name);
            put_quoted(f, fl->help, 1);
            fputc(']', f);
            if (fl->arg) {
                const char *words;
                fputc(':', f);
                put_quoted(f, fl->arg, 1);
                switch (arg_of(fl, &words)) {
                case ARG_WORDS:
                    fputs(":(", f);
                    put_words(f, words);
                    fputc(')', f);
                    break;
                case ARG_DIRS:
                    fputs(":_files -/", f);
                    break;
                case ARG_FILES:
                    fputs(":_files", f);
                    break;
                case ARG_NONE:
                    fputs(": ", f);
                    break;
                }
            }
            fputs("' \\\n", f);
        }
    }
    if (extra_words)
        fprintf(f,
                "        '*: :->words'\n"
                "    # a field name is followed by its value, not a space\n"
                "    [[ $state == words ]] && compadd -S '' -- %s\n}\n\n",
                extra_words);
    else
        fputs("        '*: :_files'\n}\n\n", f);
    fprintf(f, "_%s \"$@\"\n", cli->prog);
}

static void fish(const ms_cli *cli, const char *extra_words, FILE *f)
{
    if (extra_words) /* (then no file names: query words are no files) */
        fprintf(f, "complete -c %s -f\n", cli->prog);
    for (size_t i = 0; i < cli->n_flags; i++) {
        const ms_flag *fl = &cli->flags[i];
        fprintf(f, "complete -c %s", cli->prog);
        if (fl->shrt)
            fprintf(f, " -s %c", fl->shrt);
        fprintf(f, " -l %s", fl->name);
        if (fl->arg) {
            const char *words;
            switch (arg_of(fl, &words)) {
            case ARG_WORDS:
                fputs(" -x -a '", f);
                put_words(f, words);
                fputc('\'', f);
                break;
            case ARG_DIRS:
                fputs(" -x -a '(__fish_complete_directories)'", f);
                break;
            case ARG_FILES:
                fputs(" -r -F", f);
                break;
            case ARG_NONE:
                fputs(" -x", f);
                break;
            }
        }
        fputs(" -d '", f);
        put_quoted(f, fl->help, 0);
        fputs("'\n", f);
    }
    /* fish adds no space after a completion that ends in ':' */
    if (extra_words)
        fprintf(f, "complete -c %s -a '%s'\n", cli->prog, extra_words);
}

int ms_cli_completion(const ms_cli *cli, const char *shell, const char *extra_words, FILE *f)
{
    if (strcmp(shell, "bash") == 0)
        bash(cli, extra_words, f);
    else if (strcmp(shell, "zsh") == 0)
        zsh(cli, extra_words, f);
    else if (strcmp(shell, "fish") == 0)
        fish(cli, extra_words, f);
    else
        return -1;
    return 0;
}
