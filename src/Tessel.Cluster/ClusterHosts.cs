using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using System.Net;

namespace Tessel.Cluster;

/// <summary>Builds the two kinds of cluster member: a worker (a silo that measures for its own CPU) and a tuner
/// (a client that sends work).</summary>
public static class ClusterHosts
{
    /// <summary>How long a stopping worker waits for its loop and silo: a service manager (and a test) wants it gone
    /// within 10 s of SIGTERM; an item it was measuring is abandoned, and the queue gives it to another worker.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A worker silo; <paramref name="index"/> picks its ports under localhost clustering (0: the primary).</summary>
    public static IHost Worker(ClusterAddress address, int index, string target, Func<IWorkRunner> runner, Action<string>? log = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => { o.ClusterId = address.Name; o.ServiceId = address.Name; });
            // Workers come and go: a joining one must not wait for a killed one to be declared dead, and a dead one is
            // declared within seconds (the queue re-sends its items after its own, shorter, silence).
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            if (address.Redis is { } redis)
            {
                silo.UseRedisClustering(redis);
                silo.ConfigureEndpoints(IPAddress.Loopback, address.SiloPort(index), address.GatewayPort(index));
            }
            else silo.UseLocalhostClustering(address.SiloPort(index), address.GatewayPort(index), address.Primary, address.Name, address.Name);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(new WorkerSettings(target, runner, log));
        builder.Services.AddHostedService<WorkerLoop>();
        return builder.Build();
    }

    /// <summary>A tuner's client of the cluster.</summary>
    public static IHost Tuner(ClusterAddress address)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => { o.ClusterId = address.Name; o.ServiceId = address.Name; });
            if (address.Redis is { } redis) client.UseRedisClustering(redis);
            // Worker 0, the primary, is the gateway: a static list naming workers that are not up fails the connection.
            else client.UseLocalhostClustering(address.GatewayPort(0), address.Name, address.Name);
        });
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        return builder.Build();
    }
}
