using System.CommandLine;
using Tessel.Cluster;

namespace Tessel.Cli.Commands;

/// <summary><c>--cluster localhost[/NAME]|redis://HOST:PORT[/NAME]</c>: measure on the workers of an Orleans cluster.</summary>
public static class ClusterOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--cluster")
        {
            Description = "Measure on the workers of a cluster ('tessel worker'): localhost[/NAME] (loopback) or redis://HOST:PORT[/NAME]. Workers serve only " +
                $"their own cluster's tuners; NAME (default '{ClusterAddress.DefaultName}': 1-64 letters, digits, '-', '_', '.') also picks the ports on this machine",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text)
                try { ClusterAddress.Parse(text); }
                catch (FormatException e) { r.AddError(e.Message); }
        });
        return option;
    }
}
