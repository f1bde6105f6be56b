using System.Runtime.InteropServices;

namespace Tessel.Worker;

/// <summary>Pins the calling thread (and only it: <c>sched_setaffinity(0, ...)</c> names the calling thread
/// on Linux) to one core, and gives the old mask back on dispose. Threads inherit the mask of the thread
/// that creates them, so pin only once the thread pool's threads exist. A no-op off Linux.</summary>
internal static unsafe partial class ThreadAffinity
{
    private const int MaskBytes = 128; // cpu_set_t: 1024 CPUs

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nint cpusetsize, byte* mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nint cpusetsize, byte* mask);

    [LibraryImport("libc")]
    private static partial int sched_getcpu();

    /// <summary>Pins to the core this thread is on now (if the current mask allows it), else to the first
    /// allowed core. Null when nothing was pinned.</summary>
    public static IDisposable? PinCurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var old = new byte[MaskBytes];
            fixed (byte* p = old)
                if (sched_getaffinity(0, MaskBytes, p) != 0) return null;
            var cpu = sched_getcpu();
            if (cpu < 0 || cpu >= MaskBytes * 8 || (old[cpu / 8] & (1 << (cpu % 8))) == 0)
                cpu = Enumerable.Range(0, MaskBytes * 8).FirstOrDefault(c => (old[c / 8] & (1 << (c % 8))) != 0, -1);
            if (cpu < 0) return null;
            var pinned = new byte[MaskBytes];
            pinned[cpu / 8] = (byte)(1 << (cpu % 8));
            fixed (byte* p = pinned)
                if (sched_setaffinity(0, MaskBytes, p) != 0) return null;
            return new Restore(old);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private sealed class Restore(byte[] mask) : IDisposable
    {
        public void Dispose()
        {
            fixed (byte* p = mask) _ = sched_setaffinity(0, MaskBytes, p);
        }
    }
}
