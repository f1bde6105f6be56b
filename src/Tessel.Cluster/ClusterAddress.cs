using System.Net;

namespace Tessel.Cluster;

/// <summary>Where the cluster's membership lives: <c>localhost</c> (Orleans's development clustering on loopback:
/// worker k listens on silo port 11111+k and gateway port 30000+k, worker 0 is the primary) or
/// <c>redis://HOST:PORT</c> (membership in Redis: workers on any machine, none of them special).</summary>
public sealed record ClusterAddress(string? Redis)
{
    public const int SiloPort = 11111;
    public const int GatewayPort = 30000;

    /// <summary>Workers a localhost cluster has room for (their port offsets).</summary>
    public const int LocalWorkers = 16;

    public static ClusterAddress Parse(string text)
    {
        if (text == "localhost") return new ClusterAddress((string?)null);
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == "redis" && uri.Port > 0)
            return new ClusterAddress($"{uri.Host}:{uri.Port}");
        throw new FormatException($"--cluster: '{text}' is neither 'localhost' nor 'redis://HOST:PORT'");
    }

    public static IPEndPoint Primary => new(IPAddress.Loopback, SiloPort);
}
