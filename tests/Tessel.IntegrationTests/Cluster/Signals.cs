using System.Runtime.InteropServices;

namespace Tessel.IntegrationTests.Cluster;

/// <summary>Sends a process the signals a service manager or a terminal sends (Linux numbers).</summary>
internal static partial class Signals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static void Send(int pid, int signal) => Assert.True(Kill(pid, signal) == 0, $"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
