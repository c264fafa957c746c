using Engine.Layers;

namespace Engine.Diagnostics;

/// <summary>The problems <see cref="Advisor"/> recognises.</summary>
public enum Problem
{
    /// <summary>The activations' std falls by more than <see cref="Advisor.VanishingFactor"/> from the first hidden layer to the last.</summary>
    Vanishing,
    /// <summary>The activations' std grows by more than <see cref="Advisor.ExplodingFactor"/> from the first hidden layer to the last.</summary>
    Exploding,
    /// <summary>More than <see cref="Advisor.DeadShare"/> of a rectifier layer's units are never active on the batch.</summary>
    DeadUnits,
    /// <summary>More than <see cref="Advisor.SaturatedShare"/> of a tanh or sigmoid layer's outputs lie beyond <see cref="Advisor.SaturationLevel"/>.</summary>
    Saturation,
    /// <summary>The weights were drawn by a scheme that does not fit the activation.</summary>
    Initializer,
}

/// <summary>One problem found, in plain words with the numbers that show it.</summary>
/// <param name="Problem">Which problem.</param>
/// <param name="Message">What was measured, what it means and what to try, e.g. "vanishing: …".</param>
public sealed record Verdict(Problem Problem, string Message);

/// <summary>
/// Reads <see cref="Inspector"/>'s per-layer statistics and says what is wrong, if anything: the signal vanishing or
/// exploding with depth (He et al. 2015; Glorot &amp; Bengio 2010), dead rectifier units, saturated tanh/sigmoid units,
/// and an initializer that does not fit the activation. A healthy network gets no verdict.
/// </summary>
public static class Advisor
{
    /// <summary>Vanishing: the last hidden activation's std is below the first's divided by this.</summary>
    public const double VanishingFactor = 10.0;

    /// <summary>Exploding: the last hidden activation's std is above the first's times this.</summary>
    public const double ExplodingFactor = 10.0;

    /// <summary>Dead units: a rectifier layer has more than this share of units whose input is never positive on the batch.</summary>
    public const double DeadShare = 0.5;

    /// <summary>Saturation: a tanh output beyond this magnitude (a sigmoid's 2y − 1), where the derivative is below 6 % of its peak.</summary>
    public const double SaturationLevel = 0.97;

    /// <summary>Saturation: a tanh or sigmoid layer with more than this share of its outputs beyond <see cref="SaturationLevel"/>.</summary>
    public const double SaturatedShare = 0.2;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// The verdicts for <paramref name="model"/> given its <paramref name="reports"/> (from <see cref="Inspector.Inspect"/>
    /// on <paramref name="rows"/> rows). <paramref name="initializer"/>, when known, is the weight scheme's name
    /// (e.g. <c>xavier-normal</c>, or <c>lsuv</c>), checked against the activation.
    /// </summary>
    public static IReadOnlyList<Verdict> Advise(Sequential<float> model, IReadOnlyList<LayerReport> reports, int rows, string? initializer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count != model.Layers.Count)
            throw new ArgumentException($"{reports.Count} reports for {model.Layers.Count} layers.", nameof(reports));
        var verdicts = new List<Verdict>();
        var activations = model.Layers.Select((layer, i) => (Layer: layer as IActivationLayer, Report: reports[i])).Where(a => a.Layer is not null).ToList();
        var kind = activations.Count > 0 ? activations[0].Layer!.Kind : (Activation?)null;
        double slope = activations.Count > 0 ? activations[0].Layer!.NegativeSlope : 0;
        string fits = kind is Activation k ? FittingInitializer(k, slope) : "xavier-uniform or lecun-normal";

        if (activations.Count >= 2)
        {
            double first = activations[0].Report.OutputStd, last = activations[^1].Report.OutputStd;
            string span = string.Create(Inv, $"from {first:G3} after the first hidden layer to {last:G3} after the last ({activations.Count} layers)");
            if (first > 0 && last < first / VanishingFactor)
                verdicts.Add(new(Problem.Vanishing, string.Create(Inv,
                    $"vanishing: the activations' std falls {Ratio(first, last)} {span}; deep layers see almost no signal and learn slowly. For {Name(kind)} use {fits}.")));
            else if (first > 0 && last > first * ExplodingFactor)
                verdicts.Add(new(Problem.Exploding, string.Create(Inv,
                    $"exploding: the activations' std grows {Times(last / first)} {span}; expect huge losses or NaN. For {Name(kind)} use {fits}.")));
        }

        var dead = activations.Where(a => a.Report.DeadFraction > DeadShare).ToList();
        if (dead.Count > 0)
        {
            string layers = List(dead.Select(a => string.Create(Inv, $"layer {a.Report.Index} ({Percent(a.Report.DeadFraction!.Value)} of {a.Report.Units})")));
            verdicts.Add(new(Problem.DeadUnits, string.Create(Inv,
                $"dead units: more than half of the units never activate on these {rows} rows in {layers}; they pass no gradient. Look for large negative biases or a too-high learning rate, or try leaky-relu or prelu.")));
        }

        var saturated = activations.Where(a => a.Report.SaturatedFraction > SaturatedShare).ToList();
        if (saturated.Count > 0)
        {
            string layers = List(saturated.Select(a => string.Create(Inv, $"layer {a.Report.Index} ({Percent(a.Report.SaturatedFraction!.Value)})")));
            verdicts.Add(new(Problem.Saturation, string.Create(Inv,
                $"saturation: more than {Percent(SaturatedShare)} of the outputs lie beyond {SaturationLevel} in magnitude in {layers}, where the derivative is nearly 0. The weights are too large for {Name(kind)}: use {fits}.")));
        }

        if (initializer is not null && kind is Activation act && !Fits(initializer, act))
            verdicts.Add(new(Problem.Initializer, $"initializer: {initializer} does not fit {Name(kind)}; use {fits}."));
        return verdicts;
    }

    /// <summary>The scheme that keeps the variance steady through <paramref name="activation"/> with slope <paramref name="negativeSlope"/>, in the CLI's names.</summary>
    public static string FittingInitializer(Activation activation, double negativeSlope = 0) => activation switch
    {
        Activation.ReLU or Activation.ELU or Activation.GELU or Activation.SiLU => "he-normal (He, gain √2)",
        Activation.LeakyReLU or Activation.PReLU => string.Create(Inv,
            $"he-normal with the slope-aware gain √(2/(1+a²)) = {Math.Sqrt(2 / (1 + negativeSlope * negativeSlope)):G4} for a = {negativeSlope:G3} (the engine's default)"),
        Activation.SELU => "lecun-normal (LeCun, std 1/√fan_in)",
        _ => "xavier-uniform (Xavier/Glorot)",
    };

    // The schemes whose variance suits the activation: the He family for rectifiers, LeCun for SELU, Xavier, LeCun or
    // orthogonal (gain 1) for tanh, sigmoid and the identity; LSUV rescales to unit variance whatever the activation.
    private static bool Fits(string initializer, Activation activation)
    {
        string name = initializer.Trim().ToLowerInvariant();
        if (name == "lsuv")
            return true;
        return activation switch
        {
            Activation.ReLU or Activation.LeakyReLU or Activation.PReLU or Activation.ELU or Activation.GELU or Activation.SiLU => name.StartsWith("he-", StringComparison.Ordinal),
            Activation.SELU => name.StartsWith("lecun-", StringComparison.Ordinal),
            _ => name.StartsWith("xavier-", StringComparison.Ordinal) || name.StartsWith("glorot-", StringComparison.Ordinal)
                || name.StartsWith("lecun-", StringComparison.Ordinal) || name == "orthogonal",
        };
    }

    private static string Ratio(double first, double last) => last > 0 ? Times(first / last) : "to zero";

    private static string Times(double factor) => factor switch
    {
        >= 1e6 => factor.ToString("0.0e0", Inv) + "×",
        >= 100 => factor.ToString("N0", Inv) + "×",
        _ => factor.ToString("G3", Inv) + "×",
    };

    private static string Percent(double share) => (100 * share).ToString("F0", Inv) + "%";

    // The CLI's spelling (--activation): leaky-relu, relu, tanh, …
    private static string Name(Activation? kind) => kind switch
    {
        null => "a linear model",
        Activation.LeakyReLU => "leaky-relu",
        Activation k => k.ToString().ToLowerInvariant(),
    };

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= 4 ? string.Join(", ", all) : $"{string.Join(", ", all.Take(4))} and {all.Count - 4} more layers";
    }
}
