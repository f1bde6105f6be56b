using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Tessel.Cluster;
using Tessel.Measure;
using Tessel.Tests.Measure;

namespace Tessel.Tests.Cluster;

/// <summary>The real setup: cluster membership in a Redis server (Debian's redis-server, started here on a free
/// loopback port; <c>.ci/run</c> installs it), two workers and a tuner that find each other through it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisClusterTests : IDisposable
{
    private readonly int port = FreePort();
    private readonly Process redis;

    public RedisClusterTests()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) start.ArgumentList.Add(a);
        try { redis = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("redis-server is not installed (Debian: apt-get install redis-server; .ci/run does it)", e); }
        redis.OutputDataReceived += (_, _) => { };
        redis.ErrorDataReceived += (_, _) => { };
        redis.BeginOutputReadLine();
        redis.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!Accepts(port))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException($"redis-server did not listen on {port}");
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        if (!redis.HasExited) redis.Kill();
        redis.Dispose();
    }

    [Fact]
    public async Task Workers_and_a_tuner_find_each_other_through_redis_and_share_the_work()
    {
        var address = ClusterAddress.Parse($"redis://127.0.0.1:{port}");
        var target = Tessel.Tasks.Target.Host.Text;
        using var first = ClusterHosts.Worker(address, 4, target, () => new StandInWorkRunner(TimeSpan.FromMilliseconds(20)));
        using var second = ClusterHosts.Worker(address, 5, target, () => new StandInWorkRunner(TimeSpan.FromMilliseconds(20)));
        await first.StartAsync();
        await second.StartAsync();
        try
        {
            await using var measurer = await ClusterMeasurer.ConnectAsync(address, MeasurerFixture.Options, TimeSpan.FromSeconds(60));
            await measurer.WaitForWorkersAsync(target, TimeSpan.FromSeconds(60), count: 2);
            var task = FaultyTestTemplate.Task();
            var results = await measurer.MeasureAsync(Enumerable.Range(0, 64).Select(i => new MeasureInput(task, FaultyTestTemplate.Config(task, "ok", i))).ToList());
            Assert.All(results, r => Assert.True(r.IsValid));
            Assert.Equal(64, measurer.MeasuredBy.Values.Sum());
            Assert.Equal(2, measurer.MeasuredBy.Count);
        }
        finally
        {
            await second.StopAsync();
            await first.StopAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException) { return false; }
    }
}
