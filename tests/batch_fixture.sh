# The e2e tests' batch fixture (sourced after tests/lib.sh): the tiny preset
# in $TMP/sc and $TMP/sweep.yaml, an 8-job grid over it (2 budget scales x
# 2 leads x 2 radii). Extra lines for the batch file come as arguments.
batch_fixture() {
    "$R5G" synth --preset tiny --seed 1 -o "$TMP/sc" > /dev/null 2>&1 || { fail "synth tiny"; finish; exit 1; }
    {
        printf 'version: 1\nname: tiny sweep\nscenario: sc/scenario.yaml        # relative to this file\n'
        printf 'sweep:\n  mode: grid\n  axes:\n'
        printf '    budget.scale: [0.6, 1.0]\n    ahead_of_demand.lead_periods: [0, 1]\n    radio.radius_m: [500, 600]\n'
        for line in "$@"; do printf '%s\n' "$line"; done
    } > "$TMP/sweep.yaml"
}
