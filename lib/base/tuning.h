/*
 * base/tuning.h - every tuned constant of the ranking, in one place.
 *
 * Each was chosen with a bench, named beside it: bench/relevance builds the
 * index of MedQuAD and scores nDCG@10, MRR@10 and the condensed nDCG@10 on
 * bench/devset; bench/tune scores medquery's options, or a rebuilt
 * medquery (BUILD=), on that index. Change one only with a run of the bench
 * before and after. They are here, below every stage, because three stages
 * use them: the indexer weighs a passage's fields, the query parser weighs
 * synonyms, the searcher scores and re-ranks.
 */
#ifndef MEDSEARCH_BASE_TUNING_H
#define MEDSEARCH_BASE_TUNING_H

/* ---- indexing (index/document.c) ----
 *
 * How the fields of a passage weigh against its body. They came with the
 * first end-to-end search (0f92f95) together with bench/relevance, and no
 * run of it since has moved them. Every index depends on them. */
#define TITLE_WDF 2   /* extra weight of title words */
#define HEADING_WDF 3 /* extra weight of section-heading words */
#define POS_GAP 100   /* position gap between title, heading and body */

/* ---- querying (query/freetext.c) ----
 *
 * The weight of the synonyms of a recognised entity, next to the typed
 * words (bench/relevance). */
#define EXPAND_W 0.8

/* ---- searching (search/rerank.c) ----
 *
 * Every one chosen on the dev set: bench/relevance builds the index of
 * MedQuAD and scores nDCG@10 and MRR@10 on its questions; bench/tune scores
 * medquery's options, or a rebuilt medquery (BUILD=), on that index. The
 * figures are nDCG@10 and MRR@10, from the commits that set them. */

/* BM25 (bench/tune, 160 questions, each section shown once): b 0.35 with
 * k1 1.5 is in the middle of a plateau (k1 1.2-1.8, b 0.35: nDCG@10
 * 0.7287-0.7297, MRR@10 0.834-0.836, condensed 0.822-0.824), against b 0
 * (0.7244, 0.8259, 0.8159); higher k1 (2-3) ranked fewer judged answers
 * first (condensed 0.810-0.821). Length normalization costs a
 * document-length lookup per candidate: a query batch takes about 17% more
 * CPU. No limit of passages per article (0) scored best. */
#define BM25_K1 1.5
#define BM25_B 0.35
#define PER_ARTICLE 0

/* Re-ranking: Xapian's top RERANK_DEPTH matches (whatever -n and --offset
 * ask for) get their BM25 score times (1 + TITLE_COVER_W * title coverage +
 * SECTION_COVER_W * heading coverage), chosen on the dev set (bench/tune:
 * 0.676 -> 0.734), and times (1 + FIT_W * focus) when their heading fits a
 * type the question asks ("What causes ..."), focus being twice the larger
 * coverage, at most 1. That bonus used to be added (HEAD_W 3.0 per heading
 * word, 0.7234 -> 0.7329); multiplied and gated by focus it scores the same
 * on the 160-question dev set (bench/tune: nDCG@10 0.7246 -> 0.7245, MRR@10
 * 0.8265 -> 0.8270, condensed 0.8009 -> 0.8009; other gates, the mean or
 * the title's alone, and FIT_W 0.2-0.5 all within 0.003), and it no longer
 * lifts the fitting section of an unrelated article. */
#define RERANK_DEPTH 20 /* 50 measured the same (nDCG@10 0.732 vs 0.731), 12% slower */
#define TITLE_COVER_W 0.5
#define SECTION_COVER_W 0.4
#define FIT_W 0.35
/* Then the top PROX_DEPTH get their score times (1 + PROX_W * proximity),
 * the share of the query's adjacent word pairs found within PROX_WINDOW
 * words of each other (dev set, bench/tune: MRR 0.844 -> 0.849, nDCG@10
 * 0.733 -> 0.732; a wider window or a higher weight measured worse). */
#define PROX_DEPTH 10
#define PROX_WINDOW 3u
#define PROX_W 0.2

#endif
