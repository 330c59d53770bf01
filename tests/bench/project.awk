# The speed-up of the regional decomposition projected for P processes from
# a `plan -v` log: each round's regions (their measured CPU seconds) are
# scheduled longest first onto P processes (LPT, as the worker pool starts
# them), and the part of the run outside the rounds (reading, the
# Lagrangian bound, writing: `wall` less the rounds' wall time) is taken as
# not shrinking. Usage: awk -v wall=SECONDS -f project.awk plan.log
/decomposition \(.*\): region [0-9]+:/ {
    r = $0; sub(/.*decomposition \(/, "", r); sub(/\): region.*/, "", r)
    t = $0; sub(/ s CPU.*/, "", t); sub(/.*, /, "", t)
    n[r]++; tm[r, n[r]] = t + 0; rounds[r] = 1
}
/decomposition \(.*\): [0-9]+ of [0-9]+ regions solved in/ {
    w = $0; sub(/.* solved in /, "", w); sub(/ s wall.*/, "", w); inround += w
}
function lpt(r, P,    i, j, k, load, mx, idx, m, x, tmp) {
    m = n[r]
    for (i = 1; i <= m; i++) idx[i] = tm[r, i]
    for (i = 2; i <= m; i++) { x = idx[i]; j = i - 1; while (j >= 1 && idx[j] < x) { idx[j + 1] = idx[j]; j-- } idx[j + 1] = x }
    for (j = 1; j <= P; j++) load[j] = 0
    for (i = 1; i <= m; i++) { k = 1; for (j = 2; j <= P; j++) if (load[j] < load[k]) k = j; load[k] += idx[i] }
    mx = 0; for (j = 1; j <= P; j++) if (load[j] > mx) mx = load[j]
    return mx
}
END {
    if (!length(rounds)) { print "no decomposition rounds in the log: no projection"; exit }
    serial = wall - inround; if (serial < 0) serial = 0
    split("1 2 16 64", Ps, " ")
    for (q = 1; q <= 4; q++) { P = Ps[q]; tot = 0; for (r in rounds) tot += lpt(r, P); R[P] = tot; T[P] = serial + tot }
    printf "the rounds alone, from the regional CPU times (LPT): 1 -> %.1f s, 2 -> %.1f s (%.2fx), 16 -> %.1f s (%.2fx), 64 -> %.1f s (%.2fx)\n", R[1], R[2], R[1] / R[2], R[16], R[1] / R[16], R[64], R[1] / R[64]
    printf "the whole run, the part outside the rounds (%.1f s) unchanged: 1 -> %.1f s, 2 -> %.1f s (%.2fx), 16 -> %.1f s (%.2fx), 64 -> %.1f s (%.2fx)\n", serial, T[1], T[2], T[1] / T[2], T[16], T[1] / T[16], T[64], T[1] / T[64]
}
