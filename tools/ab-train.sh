#!/usr/bin/env bash
# Side-by-side timing of `mlp train` builds: Fashion-MNIST, 784-256-128-10, SGD momentum 0.9, batch 128, seed 1, as
# fresh processes, the builds interleaved round by round (a machine's noise then hits each build alike).
#
#   tools/ab-train.sh ROUNDS DIR [DIR…]     each DIR a checkout with `dotnet build Engine.Cli -c Release` done
#
# Environment: EPOCHS (default 10), DATASETS (default ../shared/datasets beside the repository).
# Prints per run: wall seconds, mlp's own load and train seconds, first epoch / median epoch, test accuracy and loss.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 2 ]] || { sed -n '2,8p' "$0"; exit 2; }
rounds=$1
shift
data=${DATASETS:-../shared/datasets}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$rounds"); do
    for dir in "$@"; do
        start=$(date +%s.%N)
        json=$(dotnet "$dir/Engine.Cli/bin/Release/net10.0/mlp.dll" train "$data/fashion-mnist-train.csv.gz" \
            --test-file "$data/fashion-mnist-test.csv.gz" --target label --task classification --hidden 256,128 \
            --optimizer sgd --lr 0.01 --momentum 0.9 --batch-size 128 --epochs "${EPOCHS:-10}" --seed 1 --json \
            --out "$out/model.mlp" 2>/dev/null)
        end=$(date +%s.%N)
        python3 -c '
import json, sys
d = json.loads(sys.argv[1]); e = d["epoch_seconds"]
wall = float(sys.argv[4]) - float(sys.argv[3])
print("%s: wall %.2f s, load %s s, train %s s, first/median epoch %.2f, test accuracy %s, loss %s" % (sys.argv[2], wall,
      d["load_seconds"], d["train_seconds"], e[0] / sorted(e)[len(e) // 2], d["test"]["accuracy"], d["test"]["loss"]))
' "$json" "$dir" "$start" "$end"
    done
done
