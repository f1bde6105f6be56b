namespace Tessel.Measure;

/// <summary>How the runner starts its worker process.</summary>
public sealed record WorkerRunnerOptions
{
    /// <summary>Path of <c>Tessel.Worker.dll</c>; default: next to the running app, or next to Tessel's assembly.</summary>
    public string? WorkerPath { get; init; }

    /// <summary>The <c>dotnet</c> host; default: this process's host when it is <c>dotnet</c>, else
    /// <c>DOTNET_HOST_PATH</c>, else <c>$DOTNET_ROOT/dotnet</c>, else <c>dotnet</c> on the PATH.</summary>
    public string? HostPath { get; init; }

    /// <summary>How long a fresh worker may take to say hello.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a task's tensors may take to reach the worker, besides 2 s per 10 MB of them. Only Tessel's
    /// code runs while they load (a dead worker closes the pipe at once), so the limit is there for a stuck pipe and
    /// can be generous; the kernel's own limit starts when the load is done.</summary>
    public TimeSpan LoadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The most managed memory the worker may hold (its GC heap hard limit): a kernel that allocates
    /// without end fails there with an out-of-memory error instead of taking the machine's memory. Default: half of
    /// the memory this process may use.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Receives the worker's stderr lines and the runner's own notes (restarts, kills).</summary>
    public Action<string>? Diagnostics { get; init; }
}
