using Engine.Layers;

namespace Engine.Optimizers;

/// <summary>Builds an optimizer or a learning-rate schedule from its name and settings.</summary>
public static class OptimizerFactory
{
    /// <summary>Default learning rate: 0.01 for SGD, 0.001 for Adam and AdamW (as torch.optim's Adam).</summary>
    public static double DefaultLearningRate(OptimizerKind kind) => kind == OptimizerKind.Sgd ? 0.01 : 0.001;

    /// <summary>
    /// Default weight decay, as torch.optim's: 0.01 for AdamW (decoupled, so each step shrinks the weights by lr·λ),
    /// 0 otherwise. (The tabular recipe picks its own by task: FitOptions.DefaultWeightDecay.)
    /// </summary>
    public static double DefaultWeightDecay(OptimizerKind kind) => kind == OptimizerKind.AdamW ? 0.01 : 0;

    /// <summary>
    /// The optimizer <paramref name="kind"/> over <paramref name="parameters"/>; a null rate or decay takes the
    /// kind's default. <paramref name="momentum"/> and <paramref name="nesterov"/> apply to SGD only.
    /// </summary>
    public static Optimizer<float> Create(OptimizerKind kind, IEnumerable<Parameter<float>> parameters, double? learningRate = null,
        double? weightDecay = null, double momentum = 0.9, bool nesterov = false)
    {
        double lr = learningRate ?? DefaultLearningRate(kind);
        double decay = weightDecay ?? DefaultWeightDecay(kind);
        return kind switch
        {
            OptimizerKind.Sgd => new Sgd<float>(parameters, lr, momentum, nesterov, decay),
            OptimizerKind.Adam => new Adam<float>(parameters, lr, weightDecay: decay),
            OptimizerKind.AdamW => new AdamW<float>(parameters, lr, weightDecay: decay),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown optimizer."),
        };
    }

    /// <summary>The schedule names <see cref="CreateSchedule"/> accepts.</summary>
    public static IReadOnlyList<string> ScheduleNames { get; } = ["constant", "cosine", "step"];

    /// <summary>
    /// "constant" (null: the optimizer keeps its rate), "cosine" (to 0 over the epochs after warm-up) or "step"
    /// (×0.1 every third of the epochs), preceded by <paramref name="warmupEpochs"/> of linear warm-up.
    /// </summary>
    public static LearningRateSchedule? CreateSchedule(string name, int epochs, double warmupEpochs = 0)
    {
        LearningRateSchedule? main = name switch
        {
            "constant" => null,
            "cosine" => new CosineSchedule(Math.Max(1e-9, epochs - warmupEpochs)),
            "step" => new StepDecay(Math.Max(1, epochs / 3)),
            _ => throw new ArgumentException($"Unknown schedule '{name}' (expected constant, cosine or step).", nameof(name)),
        };
        return warmupEpochs > 0 ? new LinearWarmup(warmupEpochs, main) : main;
    }
}
