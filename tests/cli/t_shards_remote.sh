# Sharded indexes searched remotely: the shards of a 2-shard index served by
# xapian-tcpsrv (and by scripts/medsearch-serve) answer exactly as a single
# index of the same corpus; a shard that is down is named; --allow-partial
# answers from the rest; servers started before an incremental run serve
# its result. Needs xapian-tcpsrv (Debian package xapian-tools): skipped
# without it. (t_shards_local: the same through the directory or stub.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_shards.sh"
if [ "$HAVE_TCPSRV" -eq 0 ]; then
    skip "remote shards: xapian-tcpsrv (Debian package xapian-tools) or setsid is missing"
    finish
fi
shards_setup
french_db

# ---- remote shards (and scripts/medsearch-serve) ----
remote_checks() {
    local port pid keep part served try
    start_server "$SH/shard-0" || fail "cannot start xapian-tcpsrv for shard-0"
    P0=$SRV_PORT PID0=$SRV_PID
    start_server "$SH/shard-1" || fail "cannot start xapian-tcpsrv for shard-1"
    P1=$SRV_PORT PID1=$SRV_PID
    printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P0" "$P1" >"$TMP/remote.stub"
    same_as_single "remote shards" "$TMP/remote.stub" "$DB"
    same_matches "wildcard on remote shards" "$TMP/remote.stub" "$DB" 'loratad*'
    # local and remote shards mixed
    printf 'auto %s\nremote 127.0.0.1:%s\n' "$SH/shard-0" "$P1" >"$TMP/mixed-remote.stub"
    same_as_single "local + remote shards" "$TMP/mixed-remote.stub" "$DB"

    # a remote shard with other settings is named by host:port
    start_server "$TMP/fr.db" || fail "cannot start xapian-tcpsrv for the french index"
    PFR=$SRV_PORT
    printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P0" "$PFR" >"$TMP/remote-fr.stub"
    run_q --db "$TMP/remote-fr.stub" headache
    expect_rc "remote settings mismatch" 2
    expect_err "remote settings mismatch names host:port" "^medquery: 127\.0\.0\.1:$PFR: index built with other settings"
    stop_server "$SRV_PID"

    # one server down: an error naming it, or with --allow-partial an answer
    # from the other shard, flagged
    stop_server "$PID1"
    run_q --db "$TMP/remote.stub" --format json headache
    expect_rc "a shard is down" 2
    expect_err "the shard that is down is named" "^medquery: 127\.0\.0\.1:$P1: cannot be reached"
    run_q --db "$TMP/remote.stub" --allow-partial --format json -n 1000 headache
    if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then ok; else fail "--allow-partial: exit $RC ($ERR)"; fi
    [ "$RC" -eq 0 ] && ok || fail "--allow-partial found nothing for headache"
    expect_err "--allow-partial warning" "warning: answering without shards that cannot be reached: 127\.0\.0\.1:$P1"
    if [ -n "$OUT" ] && printf '%s\n' "$OUT" | jq -e --arg m "127.0.0.1:$P1" '.partial == $m' >/dev/null &&
        ! printf '%s\n' "$OUT" | jq -e '.partial == null' >/dev/null; then ok; else
        fail "--allow-partial: every JSON line needs \"partial\": $OUT"
    fi
    # what it answers is shard-0's answer
    part=$(printf '%s\n' "$OUT" | jq -c 'del(.partial)' | canon)
    answer "$SH/shard-0" headache
    [ "$part" = "$ANS" ] && ok || fail "--allow-partial answer differs from shard-0 alone"
    run_q --db "$TMP/remote.stub" --allow-partial --format json zzqqxnothing
    expect_rc "--allow-partial, nothing found" 1
    # --batch: every query answered, one warning per run
    printf 'q1\theadache\nq2\tcetirizine\n' >"$TMP/batch.tsv"
    run_q --db "$TMP/remote.stub" --allow-partial --format json --batch "$TMP/batch.tsv"
    expect_rc "--allow-partial --batch" 0
    [ "$(printf '%s\n' "$OUT" | jq -r .qid | sort -u | tr '\n' ' ')" = "q1 q2 " ] && ok ||
        fail "--allow-partial --batch answers both queries"
    [ "$(printf '%s\n' "$ERR" | grep -c 'warning: answering without')" -eq 1 ] && ok ||
        fail "--allow-partial --batch: one warning wanted: $ERR"
    # every server down: an error even with --allow-partial
    stop_server "$PID0"
    run_q --db "$TMP/remote.stub" --allow-partial headache
    expect_rc "every shard down" 2
    expect_err "every shard down message" "no shard could be opened: 127\.0\.0\.1:$P0, 127\.0\.0\.1:$P1"

    # ---- medsearch-serve ----
    served=0
    for try in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if sh "$SERVE" --port "$port" --stub "$TMP/serve.stub" --pidfile "$TMP/serve.pids" \
            --logdir "$TMP/serve-logs" "$SH" 2>"$TMP/serve.err"; then
            served=1
            break
        fi
        grep -q 'already in use' "$TMP/serve.err" || break
    done
    if [ "$served" -eq 1 ]; then
        ok
        [ "$(cat "$TMP/serve.stub")" = "remote 127.0.0.1:$port"$'\n'"remote 127.0.0.1:$((port + 1))" ] &&
            ok || fail "medsearch-serve stub: $(cat "$TMP/serve.stub")"
        [ "$(wc -l <"$TMP/serve.pids")" -eq 2 ] && ok || fail "medsearch-serve pid file"
        same_as_single "medsearch-serve" "$TMP/serve.stub" "$DB"
        # each server has a process group of its own (SIGTERM reaches its children)
        for pid in $(awk '{ print $1 }' "$TMP/serve.pids"); do
            [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] && ok || fail "server $pid leads no group"
        done
        # a second start with the same pid file refuses (the servers are up)
        sh "$SERVE" --port "$port" --pidfile "$TMP/serve.pids" --stub "$TMP/serve2.stub" "$SH" 2>/dev/null
        [ $? -eq 1 ] && [ ! -e "$TMP/serve2.stub" ] && ok || fail "medsearch-serve started twice"
        keep=$(awk '{ print $1 }' "$TMP/serve.pids")
        sh "$SERVE" --stop --pidfile "$TMP/serve.pids"
        [ $? -eq 0 ] && [ ! -e "$TMP/serve.pids" ] && ok || fail "medsearch-serve --stop"
        for pid in $keep; do
            wait "$pid" 2>/dev/null # not ours to reap, but in case
            alive "$pid" && fail "medsearch-serve --stop left $pid running" || ok
        done
    else
        fail "medsearch-serve did not start: $(cat "$TMP/serve.err")"
    fi
    sh "$SERVE" --help | grep -q -- '--stop' && ok || fail "medsearch-serve --help"
    sh "$SERVE" --bogus >/dev/null 2>&1
    [ $? -eq 2 ] && ok || fail "medsearch-serve: bad option must exit 2"
}
remote_checks

# ---- incremental runs on the shards: servers started before the update
# serve it after (each connection opens its shard anew)
start_server "$SH/shard-0" || fail "cannot start xapian-tcpsrv for shard-0"
P0=$SRV_PORT
start_server "$SH/shard-1" || fail "cannot start xapian-tcpsrv for shard-1"
P1=$SRV_PORT
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P0" "$P1" >"$TMP/remote.stub"
change_corpus
same_as_single "remote shards after an incremental run" "$TMP/remote.stub" "$TMP/fresh.db"

# ---- a server that stalls in mid-batch (stopped with SIGSTOP: the kernel
# still takes the connection, nothing answers). It costs one timeout: then
# every later query of the batch fails at once, naming it, or with
# --allow-partial is answered without it.
# stalled_batch ARGS...: a batch of four queries, the server of shard-1
# stopped once the first is answered; JSON in $OUT, stderr in $ERR, $RC
stalled_batch() {
    coproc MQS { exec "$MEDQUERY" --db "$TMP/remote.stub" --batch - -f json -n 1 -j1 "$@" 2>"$TMP/stall.err"; }
    # bash closes a coprocess's descriptors (and unsets MQS_PID) as soon as
    # it exits, maybe before its last lines are read: read from a copy (it
    # does not exit before its input ends, so writing needs none)
    local mpid=$MQS_PID in=${MQS[1]} outfd line
    exec {outfd}<&"${MQS[0]}"
    printf 'q1\theadache\n' >&"$in"
    IFS= read -r line <&"$outfd"
    OUT=$line
    kill -STOP -- "-$SRV_PID"
    printf 'q2\tfever\nq3\tcough\nq4\trash\n' >&"$in"
    exec {in}>&-
    while IFS= read -r line <&"$outfd"; do OUT+=$'\n'$line; done
    exec {outfd}<&-
    wait "$mpid"
    RC=$?
    kill -CONT -- "-$SRV_PID"
    ERR=$(cat "$TMP/stall.err")
}
stalled_batch
expect_rc "a stalled shard in mid-batch" 2
[ "$(jq -r .qid <<<"$OUT" | tr '\n' ' ')" = "q1 " ] && ok ||
    fail "a stalled shard: answers $(jq -r .qid <<<"$OUT" | tr '\n' ' '), want q1 only"
expect_err "the first query after the stall names the shard" "^medquery: stdin:2: .*Timeout.*127\.0\.0\.1:$P1"
[ "$(grep -c 'given up for the rest of the run' <<<"$ERR")" -eq 2 ] && ok ||
    fail "a stalled shard: queries 3 and 4 are not given up at once: $ERR"
stalled_batch --allow-partial
expect_rc "a stalled shard in mid-batch, --allow-partial" 0
[ "$(jq -r .qid <<<"$OUT" | tr '\n' ' ')" = "q1 q2 q3 q4 " ] && ok ||
    fail "--allow-partial, stalled shard: answers $(jq -r .qid <<<"$OUT" | tr '\n' ' ')"
[ "$(jq -r '.partial // "-"' <<<"$OUT" | tr '\n' ' ')" = "- 127.0.0.1:$P1 127.0.0.1:$P1 127.0.0.1:$P1 " ] && ok ||
    fail "--allow-partial, stalled shard: 'partial' from q2 on: $(jq -r '.partial // "-"' <<<"$OUT" | tr '\n' ' ')"
[ "$(grep -c "warning: answering without shards that cannot be reached: 127.0.0.1:$P1" <<<"$ERR")" -eq 1 ] &&
    ok || fail "--allow-partial, stalled shard: one warning wanted: $ERR"

finish
