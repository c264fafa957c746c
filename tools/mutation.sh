#!/usr/bin/env bash
# Mutation testing with Stryker.NET (pinned in .config/dotnet-tools.json), one library folder at a time.
# A whole-project run is thousands of mutants and a long coverage pass; a folder with the tests of its own
# folder is minutes. Not run in CI.
#
#   tools/mutation.sh Losses Optimizers      mutate Engine/Losses/*.cs with the tests in Engine.Tests/Losses/, then Optimizers
#   tools/mutation.sh 'Data/Csv*.cs'         a large folder in parts: only the files of Engine/Data/ the glob names,
#   tools/mutation.sh 'Data/*.cs,!Csv*.cs'   with Data's tests (a glob starting with ! excludes; reports in
#                                            StrykerOutput/Data-Csv_.cs/, StrykerOutput/Data-_.cs_Csv_.cs/)
#   tools/mutation.sh --since [REF]          mutate only the Engine files changed since REF (default main), with the
#                                            tests of the folders they are in
#
# Environment: STRYKER_CONCURRENCY (default 1: the machine is shared), STRYKER_EXTRA (more stryker arguments).
# Reports: StrykerOutput/<folder>/reports/mutation-report.{html,json}; the score is printed at the end of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore > /dev/null

# Tests that cover a folder: its own test folder, plus the tests elsewhere that exercise it end to end.
filter_for() {
    local folder=$1 filter="FullyQualifiedName~Engine.Tests.$folder."
    case $folder in
        Optimizers) filter="$filter|FullyQualifiedName~Engine.Tests.Training.TrainerStepTests" ;;
        Initializers) filter="$filter|FullyQualifiedName~Engine.Tests.Layers.InitializerWiringTests" ;;
        # TabularModel's checkpoint, resume and LSUV paths are tested beside the trainer's
        Tabular) filter="$filter|FullyQualifiedName~Engine.Tests.Training.ResumeTests|FullyQualifiedName~Engine.Tests.Training.LsuvTests|FullyQualifiedName~Engine.Tests.Training.EarlyStoppingResumeTests" ;;
    esac
    echo "$filter"
}

run() { # run <name> <mutate globs, comma-separated; !glob excludes> <test filter> [stryker args…]
    local name=$1 mutate=$2 filter=$3 glob
    local -a patterns=()
    shift 3
    IFS=, read -ra globs <<< "$mutate"
    for glob in "${globs[@]}"; do patterns+=(--mutate "$glob"); done
    echo "== $name: mutate $mutate, tests $filter"
    (cd Engine.Tests && dotnet stryker --project Engine.csproj --configuration Release \
        "${patterns[@]}" --test-case-filter "$filter" \
        --concurrency "${STRYKER_CONCURRENCY:-1}" --reporter ClearText --reporter Json --reporter Html --reporter Progress \
        --output "../StrykerOutput/$name" --skip-version-check ${STRYKER_EXTRA:-} "$@")
}

if [[ ${1:-} == --since ]]; then
    ref=${2:-main}
    folders=$(git diff --name-only "$ref" -- 'Engine/*.cs' | cut -d/ -f2 | sort -u)
    if [[ -z $folders ]]; then
        echo "no Engine/*.cs file changed since $ref"
        exit 0
    fi
    filter=$(for f in $folders; do filter_for "$f"; done | paste -sd'|')
    run "since-${ref//\//-}" "**/*.cs" "$filter" "--since:$ref"
    exit 0
fi

[[ $# -gt 0 ]] || { sed -n '2,15p' "$0"; exit 2; }
for arg in "$@"; do
    folder=${arg%%/*} mutate="**/${arg%%/*}/*.cs" name=${arg%%/*}
    if [[ $arg == */* ]]; then # Folder/glob[,glob…]: only those files; a glob starting with ! excludes
        IFS=, read -ra globs <<< "${arg#*/}"
        mutate=$(for g in "${globs[@]}"; do [[ $g == !* ]] && echo "!**/$folder/${g#!}" || echo "**/$folder/$g"; done | paste -sd,)
        name="$folder-$(sed 's/[^A-Za-z0-9.]\+/_/g' <<< "${arg#*/}")"
    fi
    [[ -d Engine/$folder ]] || { echo "no folder Engine/$folder"; exit 2; }
    run "$name" "$mutate" "$(filter_for "$folder")"
done
