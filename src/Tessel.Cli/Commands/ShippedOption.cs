using System.CommandLine;
using Tessel.Cli.Terminal;
using Tessel.Records;
using Tessel.Records.Shipped;
using Tessel.Selective;

namespace Tessel.Cli.Commands;

/// <summary><c>--no-shipped</c>, and the zero-trial start it shapes (run, build, tune, tune-op, compare): a workload with
/// no record of its own takes Tessel's shipped records of it, else the most similar workload's best (shipped or
/// stored), else its default; with the option, no shipped record is used.</summary>
public sealed class ShippedOption
{
    public Option<bool> NoShipped { get; } = new("--no-shipped")
    {
        Description = "Use none of Tessel's shipped records (docs/SHIPPED.md): a workload with no record of its own takes the best config of the most similar workload in " +
            "the log or database, else its template's default",
    };

    public void AddTo(Command command) => command.Options.Add(NoShipped);

    /// <summary>The start of workloads with no record, from the shipped files (unless <c>--no-shipped</c>) and the user's
    /// <paramref name="stored"/> records (read when first needed).</summary>
    public ZeroTrialStart Start(ParseResult parsed, Func<IReadOnlyList<TuningRecord>> stored) =>
        new(parsed.GetValue(NoShipped) ? null : ShippedCatalog.Embedded, stored, Consoles.Warn);

    /// <summary>Where kernels came from, for people: <c>3 from the log, 20 shipped, 2 from similar workloads, 1 default</c>.</summary>
    public static string Sources(int fromLog, int shipped, int similar, int defaults) =>
        $"{fromLog} from the log, {shipped} shipped, {similar} from similar workloads, {defaults} default";

    /// <summary>The line that says where shipped kernels were measured, where any ran; null where none did.</summary>
    public static string? ShippedFrom(ZeroTrialStart start, int shipped) =>
        shipped > 0 && start.ShippedHost(Workloads.Target.Host) is { } host ? $"shipped records measured on {host}" : null;
}
