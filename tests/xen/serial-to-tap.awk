# serial-to-tap.awk: the xen tier's serial log -> TAP (stdout).
# Variables: qemu_rc, mapfile (host-ops.map), times (host-side timings).
# Step protocol: see dom0-scenario.sh.
function diag(s) { print "# " s }
function strip(s) { sub(/^\[host +[0-9.]+\] /, "", s); return s }
BEGIN { n = 0; nsteps = 0; cur = ""; intail = 0; done = 0; ready = "" }
{
    raw = $0; line = strip($0)
    last[NR % 40] = raw
    if (intail) {
        if (line ~ /^=== LOG-END/) { intail = 0; next }
        tail[tailname] = tail[tailname] "\n" line
        next
    }
    if (line ~ /^=== STEP [^ ]+: /) {
        cur = line; sub(/^=== STEP /, "", cur); sub(/:.*/, "", cur)
        out[cur] = ""; nout[cur] = 0
        next
    }
    if (line ~ /^=== STEP [^ ]+ rc=[0-9]+/) {
        s = line; sub(/^=== STEP /, "", s)
        split(s, f, " ")
        name = f[1]; rc = f[2]; sub(/rc=/, "", rc); took = f[4]
        order[++nsteps] = name; result[name] = rc; dur[name] = took
        cur = ""
        next
    }
    if (line ~ /^=== SKIP /) { s = line; sub(/^=== SKIP /, "", s); why[cur] = s; next }
    if (line ~ /^=== LOG-TAIL /) { tailname = line; sub(/^=== LOG-TAIL /, "", tailname); intail = 1; next }
    if (line ~ /^=== FIGURE /) { s = line; sub(/^=== FIGURE /, "", s); figures = figures "\nfigure " s; next }
    if (line ~ /^XVTIER: toolstack ready at uptime/) { ready = raw }
    if (line ~ /^XVTIER: SCENARIO DONE/) { done = 1; doneline = raw }
    if (line ~ /^Segmentation fault/) nsegv++
    if (cur != "") { nout[cur]++; o[cur, nout[cur]] = line }
}
END {
    print "TAP version 13"
    n++
    if (ready != "") {
        print "ok " n " - boot: Xen " "+ dom0 up, toolstack ready"
        diag(ready)
    } else {
        print "not ok " n " - boot: Xen + dom0 up, toolstack ready"
        diag("the toolstack never came up (qemu rc=" qemu_rc "); last serial lines:")
        for (i = NR - 39; i <= NR; i++) if (i > 0) diag("  " last[i % 40])
    }
    for (k = 1; k <= nsteps; k++) {
        name = order[k]; rc = result[name]; n++
        if (rc == 0) {
            print "ok " n " - " name " (" dur[name] ")"
            passed[name] = 1
        } else if (rc == 77) {
            print "ok " n " - " name " # SKIP " why[name]
        } else {
            print "not ok " n " - " name " (rc=" rc ", " dur[name] ")"
            diag("step output:")
            first = nout[name] > 40 ? nout[name] - 39 : 1
            for (i = first; i <= nout[name]; i++) diag("  " o[name, i])
            if (name in tail) {
                diag("daemon log, guest consoles, xl list at the failure:")
                m = split(tail[name], tl, "\n")
                for (i = 2; i <= m; i++) diag("  " tl[i])
            }
        }
    }
    n++
    if (done) {
        print "ok " n " - scenario completed"
        diag(doneline)
    } else {
        print "not ok " n " - scenario completed"
        diag("the scenario did not finish (qemu rc=" qemu_rc ", 124 = time limit); last serial lines:")
        for (i = NR - 39; i <= NR; i++) if (i > 0) diag("  " last[i % 40])
    }
    # host-port coverage
    while ((getline l < mapfile) > 0) {
        if (l ~ /^#/ || l ~ /^[ \t]*$/) continue
        split(l, f, /[ \t]+/); op = f[1]; steps = f[2]
        n++
        if (steps == "-") {
            r = l; sub(/^[^-]*- */, "", r)
            print "ok " n " - host op " op " # SKIP " r
            continue
        }
        ns = split(steps, st, ","); by = ""
        for (i = 1; i <= ns; i++) if (st[i] in passed) { by = st[i]; break }
        if (by != "") print "ok " n " - host op " op " exercised on real Xen (step " by ")"
        else print "not ok " n " - host op " op " not exercised: none of its steps passed (" steps ")"
    }
    if (nsegv > 0) diag(nsegv " process(es) in dom0 died of SIGSEGV (emulation instability, see docs/xen-tier.md)")
    if (times != "") diag("host timings: " times)
    if (figures != "") { m = split(figures, fl, "\n"); for (i = 2; i <= m; i++) diag(fl[i]) }
    print "1.." n
}
