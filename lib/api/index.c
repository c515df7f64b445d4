/*
 * api/index.c - the indexing half of the installed API (medsearch.h):
 * ms_index_update over the indexer's run, with the public options turned
 * into the indexer's and its statistics into the public summary.
 */
#include <string.h>

#include "index/index.h"
#include "medsearch.h"

int ms_index_update(const char *db_path, const char *corpus_dir, const ms_index_options *opts,
                    ms_index_summary *summary, ms_error *err)
{
    ms_index_options none = {0};
    if (!opts)
        opts = &none;
    if (!db_path || !corpus_dir)
        return ms_fail(err, MS_EUSAGE, "no index or corpus named");
    ms_index_opts io = {0};
    io.db_path = db_path;
    io.corpus = corpus_dir;
    io.lexicon_dir = opts->lexicon_dir;
    io.language = opts->language;
    io.rebuild = opts->rebuild;
    ms_index_stats st;
    memset(&st, 0, sizeof st);
    if (ms_index_build(&io, opts->jobs ? opts->jobs : 1, &st, err) != 0)
        return -1;
    if (summary) {
        summary->files_indexed = st.files_indexed;
        summary->files_unchanged = st.files_unchanged;
        summary->files_removed = st.files_removed;
        summary->files_failed = st.files_failed + st.files_failed_kept;
        summary->passages_added = st.passages_added;
        summary->passages_removed = st.passages_removed;
    }
    return 0;
}
