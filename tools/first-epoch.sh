#!/usr/bin/env bash
# The first epoch of a fresh `mlp train` process against its median epoch (from --json's epoch_seconds), run right
# after a PyTorch process, right after another mlp process, and after a pause: whether what ran just before matters.
#
#   tools/first-epoch.sh [ROUNDS] [TORCH_BLAS_DIR]      (default 3 rounds; needs dotnet build -c Release first)
#
# PyTorch runs Engine.Bench/torch_peer.py (1 thread, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset); skipped when absent.
set -u
cd "$(dirname "$0")/.."
data=../shared/datasets
mlp=Engine.Cli/bin/Release/net10.0/mlp.dll
blas=${2:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run_mlp() { # label
    local json
    json=$(dotnet "$mlp" train "$data/fashion-mnist-train.csv.gz" --test-file "$data/fashion-mnist-test.csv.gz" --target label \
        --task classification --hidden 256,128 --optimizer sgd --lr 0.01 --momentum 0.9 --batch-size 128 --epochs 10 --seed 1 \
        --json --out "$out/m.mlp" 2>/dev/null)
    python3 -c 'import json, sys
e = json.loads(sys.argv[1])["epoch_seconds"]; m = sorted(e)[len(e) // 2]
print("%-12s first %.3f s, median %.3f s, first/median %.2f" % (sys.argv[2], e[0], m, e[0] / m))' "$json" "$1"
}
run_torch() {
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ${blas:+LD_LIBRARY_PATH=$blas} /usr/bin/python3 Engine.Bench/torch_peer.py fashion \
        "$data/fashion-mnist-train.csv.gz" "$data/fashion-mnist-test.csv.gz" 10 "$out/f.pt" > /dev/null 2>&1
}
for _ in $(seq "${1:-3}"); do
    if run_torch; then run_mlp after-torch; else echo "PyTorch not available: after-torch skipped"; fi
    run_mlp after-mlp
    sleep 8
    run_mlp after-sleep
done
