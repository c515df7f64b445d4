/*
 * query/message.h - the parts of a pasted message that are not the
 * question: greeting, sign-off, contact details (message.c).
 */
#ifndef MEDSEARCH_QUERY_MESSAGE_H
#define MEDSEARCH_QUERY_MESSAGE_H

#include "analysis/analyze.h"
#include "lexicon/lexicon.h"

/* Mark in skip[] (one byte per token of t, the tokens of text) the tokens
 * of a message's greeting ("Dear Dr Smith,"), its sign-off and what
 * follows ("Thanks, Maria", "Sent from my iPhone") and its contact details
 * (e-mail addresses, web addresses, phone numbers); drop from ents the
 * entities that lie wholly in them. */
void ms_message_chrome(const char *text, size_t len, const ms_tokens *t, ms_entities *ents,
                       char *skip);

#endif
