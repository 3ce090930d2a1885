#!/bin/sh
# models.sh — models by name (src/recognizer/model_path.h): asr decode and
# asr stream without --model use the default model `digits`; --model NAME is
# looked up in $ASR_MODEL_PATH (first directory first), then the source
# tree's models/ (only for the build tree's own asr, not a copy of it); a
# name that is not found, or is not a name, is one error naming the places
# searched and the names there; asr models lists them from the files'
# headers (--json). A toy model stands for the shipped ones, so this runs
# with or without models/*.mdl in the tree.
. "${srcdir:-.}/tests/cli/lib.sh"
command -v jq >/dev/null || { echo "jq missing (Debian package jq): skipped"; exit 77; }
toy_corpora
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/exp" --epochs 2
mkdir -p "$T/a" "$T/b"
cp "$T/exp/final.mdl" "$T/b/toy.mdl"
cp "$T/exp/final.mdl" "$T/b/digits.mdl"
wav=$(cut -d' ' -f2 "$T/d/wav.scp" | head -1)
expect_exit 0 "$ASR" decode --model "$T/exp/final.mdl" "$wav"
mv "$T/out" "$T/by_path"
export ASR_MODEL_PATH="$T/a:$T/b"

case_default_model() {
    # No --model: the model named digits, the first digits.mdl on the path;
    # stderr says which file (before: "--model ... required", exit 2).
    expect_exit 0 "$ASR" decode "$wav"
    cmp -s "$T/out" "$T/by_path" || fail "the default model decoded other words than the file"
    expect_grep "model digits \(the default\): $T/b/digits.mdl" "$T/err"
    expect_exit 0 "$ASR" stream --input "$wav"
    expect_grep "model digits \(the default\): $T/b/digits.mdl" "$T/err"
    # Given --model, nothing is said about a default.
    expect_exit 0 "$ASR" decode --model toy "$wav"
    ! grep -q 'the default' "$T/err" || fail "a default was announced with --model given"
}

case_name_on_path() {
    expect_exit 0 "$ASR" decode --model toy "$wav"
    cmp -s "$T/out" "$T/by_path" || fail "--model toy decoded other words than the file"
    expect_exit 0 "$ASR" decode --model toy.mdl "$wav"
    # The first directory of the path wins: a damaged toy.mdl in $T/a is the
    # one read (and named).
    echo garbage >"$T/a/toy.mdl"
    expect_exit 1 "$ASR" decode --model toy "$wav"
    expect_grep "$T/a/toy.mdl" "$T/err"
    rm "$T/a/toy.mdl"
    # eval and compare take names too; the report names the file.
    mkdir -p "$T/data" && cp -r "$T/d" "$T/data/test"
    expect_exit 0 "$ASR" compare --data "$T/data" --splits test --out "$T/cmp" t=toy
    [ "$(jq -r '.models[0].model' "$T/cmp/report.json")" = "$T/b/toy.mdl" ] ||
        fail "compare: the report does not name the model file: $(jq -c '.models[0]' "$T/cmp/report.json")"
}

case_not_found() {
    expect_exit 1 "$ASR" decode --model nosuch "$wav"
    expect_grep "model 'nosuch': .*$T/a \(\\\$ASR_MODEL_PATH\), $T/b \(\\\$ASR_MODEL_PATH\)" "$T/err"
    expect_grep "models there: digits, toy" "$T/err"
    [ "$(wc -l <"$T/err")" -eq 1 ] || fail "the error is not one line"
    # A path that does not exist is not looked up, but the error says where
    # names are.
    expect_exit 1 "$ASR" decode --model exp/staged/final.mdl "$wav"
    expect_grep "model 'exp/staged/final.mdl': no such file .*$T/b" "$T/err"
    # Not names: refused without looking anything up.
    for bad in 'a b' '.hidden' "$(printf 'x%.0s' $(seq 65))" 'caf\303\251' 'x;y'; do
        expect_exit 1 "$ASR" decode --model "$(printf "$bad")" "$wav"
        expect_grep "neither a file nor a model name" "$T/err"
    done
    expect_exit 1 env ASR_MODEL_PATH="$T/none" "$ASR" decode --model nosuch "$wav"
    expect_grep "model 'nosuch': .*$T/none \(\\\$ASR_MODEL_PATH, missing\)" "$T/err"
    expect_exit 1 env ASR_MODEL_PATH="$(seq -s: 40)" "$ASR" models
    expect_grep 'ASR_MODEL_PATH: more than 32 directories' "$T/err"
}

case_list() {
    cp "$T/exp/final.mdl" "$T/a/toy.mdl"
    echo garbage >"$T/b/bad.mdl"
    expect_exit 1 "$ASR" models --json
    expect_grep "bad.mdl: " "$T/err"
    jq -e --arg a "$T/a" --arg b "$T/b" '
        [.models[] | select(.name == "toy")] as $t
        | ($t | length) == 2 and $t[0].path == ($a + "/toy.mdl") and ($t[0].hidden | not)
          and $t[1].hidden and $t[0].pipeline == "direct" and $t[0].bytes > 1000
        and (.models[] | select(.name == "bad") | .pipeline == null and (.error | length) > 0)
        and .default == ($b + "/digits.mdl")
        and .search[0].dir == $a and .search[0].kind == "$ASR_MODEL_PATH"' "$T/out" >/dev/null ||
        { cat "$T/out" >&2; fail "asr models --json"; }
    rm "$T/b/bad.mdl"
    expect_exit 0 "$ASR" models
    expect_grep "^toy +direct .* $T/a/toy.mdl$" "$T/out"
    expect_grep "^toy +direct .* $T/b/toy.mdl +\(hidden\)$" "$T/out"
    expect_exit 0 "$ASR" help
    expect_grep '^  models ' "$T/out"
}

case_source_tree_only_uninstalled() {
    # The build tree's asr looks in the source tree's models/; a copy of it
    # (as an installed one is) does not.
    expect_exit 0 "$ASR" models --json
    jq -e --arg s "$(cd "$srcdir" && pwd)/models" \
        'any(.search[]; .dir == $s and .kind == "the source tree")' "$T/out" >/dev/null ||
        { cat "$T/out" >&2; fail "the build tree's asr does not search $srcdir/models"; }
    cp "$ASR" "$T/asr-copy"
    expect_exit 0 "$T/asr-copy" models --json
    jq -e 'all(.search[]; .kind != "the source tree")' "$T/out" >/dev/null ||
        { cat "$T/out" >&2; fail "a copy of asr searches the source tree"; }
}

run_cases "$0"
