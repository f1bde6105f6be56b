using Microsoft.Extensions.Hosting;

namespace Tessel.Cluster;

/// <summary>The lifetime of a host that lives inside a command (the tuner's cluster client): SIGINT and SIGTERM are left to
/// the command, which cancels its work on them. The console lifetime would take both signals, so the tuning went on and
/// its client was stopped under it.</summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
