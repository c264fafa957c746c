namespace Engine.Optimizers;

/// <summary>The optimizers <see cref="OptimizerFactory.Create"/> can build.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum (default 0.9), optional Nesterov and weight decay.</summary>
    Sgd,
    /// <summary>Adam with L2 weight decay.</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,
}
