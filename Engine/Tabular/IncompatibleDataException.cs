namespace Engine.Tabular;

/// <summary>
/// Data that is well-formed but does not fit what it is used with: other columns than the model's, another
/// task, or other rows than the checkpoint was trained on. The message starts with the data's source.
/// </summary>
/// <param name="message">What does not fit, starting with the data's source (e.g. the CSV path).</param>
public sealed class IncompatibleDataException(string message) : Exception(message);
