using System.ComponentModel;
using System.Diagnostics;
using Tessel.Measure.Protocol;

namespace Tessel.Measure;

/// <summary>One life of the worker process: its pipes, what it has loaded, the tail of its stderr.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int TailLines = 12;
    private readonly Process process;
    private readonly Queue<string> stderrTail = new();
    private readonly Action<string>? diagnostics;

    private WorkerProcess(Process process, Action<string>? diagnostics)
    {
        this.process = process;
        this.diagnostics = diagnostics;
    }

    public int Id => process.Id;

    public bool HasExited
    {
        get
        {
            try { return process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    /// <summary>Workload keys whose tensors this worker holds.</summary>
    public HashSet<string> Tasks { get; } = new(StringComparer.Ordinal);

    public string? ImageId { get; set; }

    public static async Task<WorkerProcess> StartAsync(WorkerRunnerOptions options, CancellationToken cancellationToken)
    {
        var workerPath = options.WorkerPath ?? FindWorker();
        var start = new ProcessStartInfo(options.HostPath ?? FindHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(workerPath);
        // Kernels are loop nests: jit them fully optimised at the first call rather than timing tier-0 or OSR code.
        start.Environment["DOTNET_TC_QuickJitForLoops"] = "0";
        start.Environment["DOTNET_gcServer"] = "0";
        var memoryLimit = options.MemoryLimitBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
        start.Environment["DOTNET_GCHeapHardLimit"] = memoryLimit.ToString("x");

        var process = new Process { StartInfo = start };
        var worker = new WorkerProcess(process, options.Diagnostics);
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) worker.OnStderr(line); };
        try
        {
            if (!process.Start()) throw new InvalidOperationException($"could not start '{start.FileName} exec {workerPath}'");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start the measuring worker '{start.FileName} exec {workerPath}': {e.Message}", e);
        }
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        try
        {
            var hello = await MessagePipe.ReadAsync(process.StandardOutput.BaseStream, timeout.Token).ConfigureAwait(false);
            if (hello is HelloReply { ProtocolVersion: HelloReply.CurrentVersion }) return worker;
            var notice = await worker.KillAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"the measuring worker '{workerPath}' did not say hello (got {hello?.GetType().Name ?? "end of stream"}); {notice}");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            var notice = await worker.KillAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"the measuring worker '{workerPath}' did not start within {options.StartTimeout.TotalSeconds:G4} s; {notice}", e);
        }
    }

    /// <summary>Sends one request and reads its reply; null when the worker died (or was killed) meanwhile.</summary>
    public async Task<WorkerMessage?> ExchangeAsync(WorkerMessage request, CancellationToken cancellationToken)
    {
        try
        {
            await MessagePipe.WriteAsync(process.StandardInput.BaseStream, request, cancellationToken).ConfigureAwait(false);
            return await MessagePipe.ReadAsync(process.StandardOutput.BaseStream, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (HasExited || cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>Kills the process tree without waiting; safe to call from a cancellation callback.</summary>
    public void Kill()
    {
        try { process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException) { }
    }

    /// <summary>Kills the process tree, waits (briefly) for it to be gone, and says how it ended.</summary>
    public async Task<string> KillAsync()
    {
        Kill();
        return await DeathNoticeAsync().ConfigureAwait(false);
    }

    /// <summary>Exit code and last stderr lines, once the process is gone (waits up to 2 s).</summary>
    public async Task<string> DeathNoticeAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await process.WaitForExitAsync(wait.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { return "worker still running after 2 s"; }
        catch (InvalidOperationException) { return "worker not started"; }
        string tail;
        lock (stderrTail) tail = string.Join(" | ", stderrTail);
        var code = process.ExitCode;
        var signal = code > 128 && code < 160 ? $" (signal {code - 128})" : "";
        return $"exit code {code}{signal}" + (tail.Length > 0 ? $"; stderr: {tail}" : "");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!HasExited)
            {
                using var polite = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try { await ExchangeAsync(new ShutdownRequest(), polite.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
                await KillAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private void OnStderr(string line)
    {
        lock (stderrTail)
        {
            stderrTail.Enqueue(line);
            while (stderrTail.Count > TailLines) stderrTail.Dequeue();
        }
        diagnostics?.Invoke($"[worker {SafeId()}] {line}");
    }

    private string SafeId()
    {
        try { return process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        catch (InvalidOperationException) { return "?"; }
    }

    internal static string FindWorker()
    {
        const string name = "Tessel.Worker.dll";
        var candidates = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(WorkerProcess).Assembly.Location) ?? "" };
        foreach (var dir in candidates)
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{name} not found next to the app ({AppContext.BaseDirectory}); reference the Tessel.Worker project", name);
    }

    internal static string FindHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return current;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            return hostPath;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            var path = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(path)) return path;
        }
        return "dotnet";
    }
}
