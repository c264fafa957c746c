#!/usr/bin/env bash
# Mutation testing with Stryker.NET (pinned in .config/dotnet-tools.json), one library folder at a time.
# A whole-project run is thousands of mutants and a long coverage pass; a folder with the tests of its own
# folder is minutes. Not run in CI.
#
#   tools/mutation.sh Losses Optimizers      mutate Engine/Losses/*.cs with the tests in Engine.Tests/Losses/, then Optimizers
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
    esac
    echo "$filter"
}

run() { # run <name> <mutate glob> <test filter> [stryker args…]
    local name=$1 mutate=$2 filter=$3
    shift 3
    echo "== $name: mutate $mutate, tests $filter"
    (cd Engine.Tests && dotnet stryker --project Engine.csproj --configuration Release \
        --mutate "$mutate" --test-case-filter "$filter" \
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

[[ $# -gt 0 ]] || { sed -n '2,13p' "$0"; exit 2; }
for folder in "$@"; do
    [[ -d Engine/$folder ]] || { echo "no folder Engine/$folder"; exit 2; }
    run "$folder" "**/$folder/*.cs" "$(filter_for "$folder")"
done
