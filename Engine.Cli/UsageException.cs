namespace Engine.Cli;

/// <summary>
/// A mistake in how mlp was called, found after parsing (two options that exclude each other, an option value
/// the library refuses): exit 2 with the message, which names the option in the user's words.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
