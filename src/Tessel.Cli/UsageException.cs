namespace Tessel.Cli;

/// <summary>A user's input is wrong; the message names the option and the value.</summary>
public sealed class UsageException(string message) : Exception(message);
