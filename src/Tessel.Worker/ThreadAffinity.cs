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

    /// <summary>The cores this thread may run on, in order (all of them off Linux, or where the mask cannot be read).</summary>
    public static IReadOnlyList<int> AllowedCpus()
    {
        var all = Enumerable.Range(0, Environment.ProcessorCount).ToList();
        if (!OperatingSystem.IsLinux()) return all;
        try
        {
            var mask = new byte[MaskBytes];
            fixed (byte* p = mask)
                if (sched_getaffinity(0, MaskBytes, p) != 0) return all;
            return Enumerable.Range(0, MaskBytes * 8).Where(c => (mask[c / 8] & (1 << (c % 8))) != 0).ToList();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return all;
        }
    }

    /// <summary>Pins to <paramref name="cpu"/>; null when nothing was pinned.</summary>
    public static IDisposable? PinCurrentThreadTo(int cpu) => Pin(_ => cpu);

    /// <summary>Pins to the core this thread is on now (if the current mask allows it), else to the first
    /// allowed core. Null when nothing was pinned.</summary>
    public static IDisposable? PinCurrentThread() => Pin(old =>
    {
        var cpu = sched_getcpu();
        return cpu < 0 || cpu >= MaskBytes * 8 || (old[cpu / 8] & (1 << (cpu % 8))) == 0
            ? Enumerable.Range(0, MaskBytes * 8).FirstOrDefault(c => (old[c / 8] & (1 << (c % 8))) != 0, -1)
            : cpu;
    });

    /// <summary>Pins to the core <paramref name="choose"/> picks from the current mask (none where it gives -1).</summary>
    private static IDisposable? Pin(Func<byte[], int> choose)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var old = new byte[MaskBytes];
            fixed (byte* p = old)
                if (sched_getaffinity(0, MaskBytes, p) != 0) return null;
            var cpu = choose(old);
            if (cpu < 0 || cpu >= MaskBytes * 8) return null;
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
