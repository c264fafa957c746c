namespace Engine.Initializers;

/// <summary>
/// Fills a weight tensor in place. Implementations draw only from <see cref="InitContext.Rng"/>, so one
/// seed fixes the result. Values are produced in double and narrowed by the layer.
/// </summary>
public interface IInitializer
{
    /// <summary>Fills <paramref name="weights"/>, laid out as <see cref="InitContext.Rows"/> × <see cref="InitContext.Cols"/> row-major.</summary>
    void Initialize(Span<double> weights, InitContext context);
}

/// <summary>
/// What an initializer may look at: the weight shape (for a dense layer rows = fan_out = out features,
/// cols = fan_in = in features), the activation that follows the layer and its negative slope
/// (Leaky ReLU's a, or PReLU's initial a), and the random generator.
/// </summary>
/// <param name="Rows">Rows of the weight matrix (out features).</param>
/// <param name="Cols">Columns of the weight matrix (in features).</param>
/// <param name="Activation">The nonlinearity that follows this layer.</param>
/// <param name="NegativeSlope">The negative slope a of a Leaky ReLU or PReLU that follows, else 0.</param>
/// <param name="Rng">The generator to draw from.</param>
public sealed record InitContext(int Rows, int Cols, Activation Activation, double NegativeSlope, Rng Rng)
{
    /// <summary>fan_in: inputs feeding each output unit (the weight's columns).</summary>
    public int FanIn => Cols;

    /// <summary>fan_out: outputs each input unit feeds (the weight's rows).</summary>
    public int FanOut => Rows;

    /// <summary>
    /// The fan-in of the layer the tensor belongs to, when that is not <see cref="Cols"/>: a dense layer's bias
    /// (shape 1 × out) is drawn with <c>LayerFanIn</c> = the layer's in features, as PyTorch's nn.Linear draws its
    /// bias from U(±1/√fan_in) of the weight. Null means <see cref="FanIn"/>.
    /// </summary>
    public int? LayerFanIn { get; init; }
}
