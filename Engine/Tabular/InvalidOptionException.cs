namespace Engine.Tabular;

/// <summary>
/// A <see cref="FitOptions"/> value that cannot work, e.g. <c>Epochs must be at least 1, got 0.</c> A tool that
/// exposes the options under its own names (the <c>mlp</c> command's <c>--epochs</c>) rebuilds the message from
/// <see cref="Option"/>, <see cref="Requirement"/> and <see cref="Value"/>.
/// </summary>
public sealed class InvalidOptionException : ArgumentException
{
    /// <summary>Creates the exception for option <paramref name="option"/> (a <see cref="FitOptions"/> property name).</summary>
    public InvalidOptionException(string option, object? value, string requirement)
        : base($"{option} {requirement}, got {Format(value)}.")
    {
        Option = option;
        Value = Format(value);
        Requirement = requirement;
    }

    /// <summary>The <see cref="FitOptions"/> property at fault.</summary>
    public string Option { get; }

    /// <summary>The value given, as text.</summary>
    public string Value { get; }

    /// <summary>What the value must be, e.g. "must be at least 1".</summary>
    public string Requirement { get; }

    private static string Format(object? value) => value switch
    {
        null => "nothing",
        double d when double.IsPositiveInfinity(d) => "infinity",
        double d when double.IsNegativeInfinity(d) => "-infinity",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
