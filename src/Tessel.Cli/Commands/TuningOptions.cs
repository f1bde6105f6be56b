using System.CommandLine;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Records.Database;
using Tessel.Tuners;
using Tessel.Tuning;

namespace Tessel.Cli.Commands;

/// <summary>The options every tuning command shares: tuner, budget, log or database, seed, threads, measurement.</summary>
public sealed class TuningOptions
{
    public Option<string> Tuner { get; } = new("--tuner")
    {
        Description = "Search strategy. " + TunerRegistry.Describe(),
        DefaultValueFactory = _ => "model",
    };

    public Option<int> Trials { get; } = new("--trials") { Description = "Trials per task, resumed ones included", DefaultValueFactory = _ => 100 };

    public Option<string> Log { get; } = new("--log") { Description = "Tuning log (JSON lines, AutoTVM record v0.2); trials already in it are resumed", DefaultValueFactory = _ => "tessel.jsonl" };

    public Option<string?> Db { get; } = new("--db") { Description = "Tuning database (SQLite) to resume from and write to instead of --log (see 'tessel db')" };

    public Option<string?> Cluster { get; } = ClusterOption.Create();

    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed of the search, for a reproducible run" };

    public Option<int> Threads { get; } = new("--threads") { Description = "Threads a kernel may use", DefaultValueFactory = _ => Environment.ProcessorCount };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Configs built and measured per round", DefaultValueFactory = _ => 16 };

    public Option<int?> EarlyStopping { get; } = new("--early-stopping") { Description = "Stop a task after this many trials without improvement" };

    public Option<int> Repeat { get; } = new("--repeat") { Description = "Timed repeats per config (costs keep one mean per repeat)", DefaultValueFactory = _ => 3 };

    public Option<double> MinRepeatMs { get; } = new("--min-repeat-ms") { Description = "Each repeat calls the kernel until it lasts this long", DefaultValueFactory = _ => 10.0 };

    public Option<bool> FlushCache { get; } = new("--flush-cache") { Description = "Evict the CPU caches before every timed call (each call timed alone): cold-cache costs, as a layer of a " +
        "large model meets its weights; pair with a small --min-repeat-ms" };

    /// <summary><c>--no-shipped</c>: each task's first batch starts from no shipped record.</summary>
    public ShippedOption Shipped { get; } = new();

    public Option<int> Remeasure { get; } = new("--remeasure")
    {
        Description = "Before a task's best is shared or used, measure it again, and the next fastest while the re-measured one falls behind, up to this many configs a task (0: never)",
        DefaultValueFactory = _ => TuningSession.DefaultRemeasure,
    };

    public Option<double> Timeout { get; } = new("--timeout") { Description = "Seconds a kernel may run before it counts as hung (error 7)", DefaultValueFactory = _ => 10.0 };

    public TuningOptions()
    {
        Tuner.Validators.Add(r =>
        {
            var name = r.GetValueOrDefault<string>();
            if (!TunerRegistry.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
                r.AddError($"--tuner: unknown tuner '{name}' (choose one of: {string.Join(", ", TunerRegistry.Names)})");
        });
        Positive(Trials, 0);
        Positive(Threads, 1);
        Positive(BatchSize, 1);
        Positive(Repeat, 1);
        Positive(Remeasure, 0);
        EarlyStopping.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 and var v) r.AddError($"--early-stopping must be >= 1, got {v}");
        });
        Timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && !(v > 0)) r.AddError($"--timeout must be > 0 seconds, got {v}");
        });
        MinRepeatMs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && !(v >= 0)) r.AddError($"--min-repeat-ms must be >= 0, got {v}");
        });
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Tuner, Trials, Log, Db, Cluster, Seed, Threads, BatchSize, EarlyStopping, Repeat, MinRepeatMs, FlushCache, Timeout, Remeasure })
            command.Options.Add(option);
        Shipped.AddTo(command);
    }

    /// <summary>Where trials go: the database when <c>--db</c> is given, else the log.</summary>
    public IRecordStore Store(ParseResult parsed)
    {
        if (parsed.GetValue(Db) is not { } db) return new LogFile(Writable("--log", parsed.GetValue(Log)!));
        if (parsed.GetResult(Log) is { Implicit: false })
            throw new UsageException("give --log or --db, not both (a log goes into a database with 'tessel db import')");
        if (Directory.Exists(db)) throw new UsageException($"--db {db}: is a directory, not a file");
        return new TuningDatabase(db);
    }

    /// <summary>The log's path, once it is known that records can be appended there: a directory, or a file that
    /// cannot be opened for writing, is named before anything is tuned (not a stack trace after the first trial).</summary>
    private static string Writable(string option, string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"{option} {path}: is a directory, not a file");
        try
        {
            using var _ = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"{option} {path}: cannot be written ({e.Message})");
        }
        return path;
    }

    /// <summary>Measures on this machine, or with <c>--cluster</c> on the cluster's workers (waiting up to a minute for one).</summary>
    public async Task<IMeasurer> MeasurerAsync(ParseResult parsed, MeasureOptions options, CancellationToken cancellationToken)
    {
        if (parsed.GetValue(Cluster) is not { } cluster) return new LocalMeasurer(options);
        return await Tessel.Cluster.ClusterMeasurer.ConnectAsync(Tessel.Cluster.ClusterAddress.Parse(cluster), options, TimeSpan.FromMinutes(1), cancellationToken);
    }

    /// <summary>A session of the parsed tuner, seed and budget around a measurer and a store; warnings go to the console. Each
    /// task's first batch measures its zero-trial start first: shipped records (unless <c>--no-shipped</c>), else the most
    /// similar workload's best in the store or shipped.</summary>
    public TuningSession Session(ParseResult parsed, IMeasurer measurer, IRecordStore store, CancellationToken cancellationToken) =>
        TuningSession.Named(measurer, store, Tune(parsed), parsed.GetValue(Tuner)!, parsed.GetValue(Seed)) with
        {
            Warn = Terminal.Consoles.Warn,
            Cancellation = cancellationToken,
            Remeasure = parsed.GetValue(Remeasure),
            // Read again only where a task has nothing shipped: its damaged records were named by the session's own read.
            Start = Shipped.Start(parsed, () => store.Read()),
        };

    public MeasureOptions Measure(ParseResult parsed) => new()
    {
        Repeat = parsed.GetValue(Repeat),
        MinRepeatMs = parsed.GetValue(MinRepeatMs),
        FlushCache = parsed.GetValue(FlushCache),
        Threads = parsed.GetValue(Threads),
        RunTimeout = TimeSpan.FromSeconds(parsed.GetValue(Timeout)),
    };

    public TuneOptions Tune(ParseResult parsed) => new()
    {
        Trials = parsed.GetValue(Trials),
        BatchSize = parsed.GetValue(BatchSize),
        EarlyStopping = parsed.GetValue(EarlyStopping),
        Measure = Measure(parsed),
    };

    private static void Positive(Option<int> option, int min) =>
        option.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<int>();
            if (v < min) r.AddError($"{option.Name} must be >= {min}, got {v}");
        });
}
