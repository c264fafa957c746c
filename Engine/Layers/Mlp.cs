using Engine.Initializers;

namespace Engine.Layers;

/// <summary>One-line builders for the common multilayer perceptron.</summary>
public static class Mlp
{
    /// <summary>
    /// Dense → activation → … → Dense: <paramref name="inputs"/> features, one hidden layer per entry of
    /// <paramref name="hidden"/>, <paramref name="outputs"/> outputs (logits, no final activation).
    /// <paramref name="init"/>, when given, initializes every dense layer's weights; otherwise each
    /// follows the activation after it. Weights are drawn from <paramref name="seed"/>.
    /// </summary>
    public static Sequential<T> Create<T>(int inputs, IReadOnlyList<int> hidden, int outputs,
        Activation activation = Activation.ReLU, IInitializer? init = null, ulong seed = 0, double negativeSlope = 0.01)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(hidden);
        Check.Positive(inputs, nameof(inputs));
        Check.Positive(outputs, nameof(outputs));
        var layers = new List<Layer<T>>();
        int fanIn = inputs;
        foreach (int width in hidden)
        {
            Check.Positive(width, nameof(hidden));
            layers.Add(new Dense<T>(fanIn, width, init));
            layers.Add(CreateActivation<T>(activation, negativeSlope));
            fanIn = width;
        }
        layers.Add(new Dense<T>(fanIn, outputs, init));
        var model = new Sequential<T>([.. layers]);
        model.Initialize(seed);
        return model;
    }

    /// <summary>The float32 model, as used for training.</summary>
    public static Sequential<float> Create(int inputs, IReadOnlyList<int> hidden, int outputs,
        Activation activation = Activation.ReLU, IInitializer? init = null, ulong seed = 0, double negativeSlope = 0.01)
        => Create<float>(inputs, hidden, outputs, activation, init, seed, negativeSlope);

    /// <summary>
    /// The activation layer for <paramref name="activation"/>: <paramref name="negativeSlope"/> is Leaky
    /// ReLU's slope; PReLU gets one shared slope starting at 0.25, as PyTorch's default (see <see cref="LayerRegistry"/>).
    /// </summary>
    public static Layer<T> CreateActivation<T>(Activation activation, double negativeSlope = 0.01)
        where T : unmanaged, IFloatingPointIeee754<T>
        => LayerRegistry.CreateActivation<T>(activation, negativeSlope);
}
