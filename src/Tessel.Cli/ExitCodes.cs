namespace Tessel.Cli;

/// <summary>What the <c>tessel</c> command returns.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A bad option, shape or file: the message names it.</summary>
    public const int BadInput = 2;
    /// <summary>Interrupted by the user (Ctrl+C); records written so far are kept.</summary>
    public const int Cancelled = 130;
}
