using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tessel.Cluster;

namespace Tessel.IntegrationTests.Cluster;

/// <summary>The real setup: cluster membership in a Redis server (Debian's redis-server, started here on a free
/// loopback port; <c>.ci/run</c> installs it), two workers and a tuner that find each other through it.</summary>
[Collection(SerialCollection.Name)]
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
    public Task Workers_and_a_tuner_find_each_other_through_redis_and_share_the_work() =>
        TwoWorkerBatch.ShareAsync(ClusterAddress.Parse($"redis://127.0.0.1:{port}/two-workers-{Guid.NewGuid():N}"), firstIndex: 4);

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
