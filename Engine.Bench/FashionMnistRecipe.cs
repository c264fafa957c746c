namespace Engine.Bench;

/// <summary>
/// The run every Fashion-MNIST timing measures, in one place: the data folder (../shared/datasets, or --datasets DIR),
/// and the 784-HIDDEN-10 ReLU MLP with He normal weights (seed 1) trained by SGD with momentum 0.9 at lr 0.01.
/// </summary>
internal static class FashionMnistRecipe
{
    /// <summary>The folder holding fashion-mnist-train.csv.gz and fashion-mnist-test.csv.gz.</summary>
    public static string Folder(string[] args) => Options.String(args, "--datasets", Path.Combine("..", "shared", "datasets"));

    /// <summary>784 → <paramref name="hidden"/> → 10, ReLU, He normal, seed 1 (the 784-256-128-10 by default).</summary>
    public static Sequential<float> Model(IReadOnlyList<int>? hidden = null) =>
        Mlp.Create(784, hidden ?? [256, 128], 10, Activation.ReLU, new Engine.Initializers.HeNormal(), seed: 1);

    /// <summary>SGD, lr 0.01, momentum 0.9.</summary>
    public static Sgd<float> Optimizer(Sequential<float> model) => new(model.Parameters, 0.01, momentum: 0.9);
}
