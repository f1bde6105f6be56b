using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Graph.Zoo;
using Tessel.Records;
using Tessel.Records.Shipped;
using Tessel.Runtime.Artifacts;
using Tessel.Tuning;
using Tessel.Workloads;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel shipped show|generate</c>: the pre-tuned records Tessel ships per target (docs/SHIPPED.md), used
/// where a workload has no record of its own. <c>show</c> says what is shipped and the host it was measured on;
/// <c>generate</c> tunes every task of the zoo's models into a log (resumable) and writes the shipped file from it.</summary>
public static class ShippedCommand
{
    public static Command Create() =>
        new("shipped", "The pre-tuned records Tessel ships per target (ISA class), used where a workload has no record of its own: show them, or generate them")
        {
            Show(), Generate(),
        };

    private static Command Show()
    {
        var file = new Option<string?>("--file") { Description = "Show this shipped file (e.g. one just generated) instead of the ones Tessel carries" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per file" };
        var command = new Command("show", "List the shipped files: the target each serves, the host it was measured on (CPU, ISA, threads, date, Tessel version, trials " +
            "per task), its workloads, records, size and load time") { file, json };
        command.SetAction(parsed =>
        {
            var shown = new List<(ShippedRecords Records, double LoadMs)>();
            if (parsed.GetValue(file) is { } path)
            {
                if (!File.Exists(path)) throw new UsageException($"shipped file '{path}' does not exist");
                var clock = Stopwatch.StartNew();
                using var stream = File.OpenRead(path);
                var records = ShippedFile.Read(stream, path, Consoles.Warn);
                _ = records.Workloads;
                shown.Add((records, clock.Elapsed.TotalMilliseconds));
            }
            else
            {
                // Each file timed as a run first reads it: decompressed, parsed, and ranked per workload.
                foreach (var name in ShippedCatalog.Embedded.Names)
                {
                    var clock = Stopwatch.StartNew();
                    if (ShippedCatalog.Embedded.Named(name, Consoles.Warn) is not { } records) continue;
                    _ = records.Workloads;
                    shown.Add((records, clock.Elapsed.TotalMilliseconds));
                }
            }
            if (parsed.GetValue(json)) Consoles.WriteJson(new JsonArray(shown.Select(s => (JsonNode)ToJson(s.Records, s.LoadMs)).ToArray()));
            else Print(shown);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static JsonObject ToJson(ShippedRecords records, double loadMs)
    {
        var json = records.Host.ToJson();
        json["name"] = records.Name;
        json["this_machine"] = records.Host.Target == Target.Host.Text;
        json["workloads"] = records.Workloads;
        json["records"] = records.Records.Count;
        json["bytes"] = records.Bytes;
        json["load_ms"] = loadMs;
        return json;
    }

    private static void Print(List<(ShippedRecords Records, double LoadMs)> shown)
    {
        if (shown.Count == 0)
        {
            Consoles.Out.MarkupLine(Markup.Escape($"no shipped records: every workload with no record of its own runs a similar workload's config or its default ({Target.Host})"));
            return;
        }
        foreach (var (records, loadMs) in shown)
        {
            var mine = records.Host.Target == Target.Host.Text ? " (this machine's target)" : "";
            Consoles.Out.MarkupLine(Markup.Escape($"{records.Name}: {records.Host.Target}{mine}"));
            Consoles.Out.MarkupLine(Markup.Escape($"  measured on {records.Host}"));
            Consoles.Out.MarkupLine(Markup.Escape($"  {records.Workloads} workloads, {records.Records.Count} records, {records.Bytes / 1024.0:F1} KiB, loads in {loadMs:F1} ms"));
        }
    }

    private static Command Generate()
    {
        var models = new Option<string[]>("--models")
        {
            Description = $"Zoo models whose tasks are tuned (default: all of them: {string.Join(", ", ModelZoo.Names)}); comma-separated or repeated",
            AllowMultipleArgumentsPerToken = true,
        };
        var keep = new Option<int>("--keep") { Description = "Fastest records kept per workload", DefaultValueFactory = _ => 3 };
        keep.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"--keep must be >= 1, got {r.GetValueOrDefault<int>()}"); });
        var output = new Option<string>("--output", "-o")
        {
            Description = $"The shipped file to write (gzip JSONL; to ship it, src/Tessel/Records/Shipped/Data/{ShippedFile.NameFor(Target.Host)})", Required = true,
        };
        var tuning = new TuningOptions();
        var command = new Command("generate", "Tune every distinct task of zoo models on this machine into --log (resumable: a rerun measures only what is missing), then " +
            "write the shipped file of this machine's target: the fastest --keep records of each workload, with this host in its header") { models, keep, output };
        tuning.AddTo(command);
        command.Options.Remove(tuning.Cluster);
        command.SetAction(async (parsed, ct) =>
        {
            var names = Models(parsed.GetValue(models));
            var tasks = ShippedTasks.Of(names, Target.Host);
            var store = tuning.Store(parsed);
            var options = tuning.Tune(parsed);
            await using var measurer = await tuning.MeasurerAsync(parsed, options.Measure, ct);
            var clock = Stopwatch.StartNew();
            await ProgressBar.RunManyAsync(bar => FullTuning.RunAsync(tasks.Select(t => t.Task.Task).ToList(),
                tuning.Session(parsed, measurer, store, ct) with { Progress = (_, prefix, budget) => [bar(prefix, budget)] },
                i => $"[Task {i + 1,3}/{tasks.Count,3}] {tasks[i].Model} {tasks[i].Task.Id} {tasks[i].Task.Task.Name} "));
            var records = ShippedFile.BestOf(store.Read(Consoles.Warn), Target.Host, tasks.Select(t => t.Task.Task.Workload), parsed.GetValue(keep));
            var missing = tasks.Count - records.Select(r => r.WorkloadKey).Distinct(StringComparer.Ordinal).Count();
            if (missing > 0) Consoles.Warn($"{missing} of {tasks.Count} workloads have no valid record in {store.Name}: nothing is shipped for them");
            var host = new ShippedHost(Target.Host.Text, HostCpu.Describe(), Target.HostIsa, options.Measure.Threads, DateTime.UtcNow.ToString("yyyy-MM-dd"),
                TuningRecord.TesselVersion, options.Trials, parsed.GetValue(tuning.Tuner)!, names, parsed.GetValue(keep));
            var path = parsed.GetValue(output)!;
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null) Directory.CreateDirectory(directory);
            using (var file = File.Create(path)) ShippedFile.Write(file, host, records);
            Consoles.Out.MarkupLine(Markup.Escape($"wrote {path}: {records.Count} records of {tasks.Count - missing} workloads ({names.Count} models), " +
                $"{new FileInfo(path).Length / 1024.0:F1} KiB, after {clock.Elapsed.TotalMinutes:F1} min of tuning into {store.Name}; check it with `tessel shipped show --file {path}`"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The zoo models named (comma-separated or repeated), each once, in the zoo's spelling; all of them where none are.</summary>
    private static IReadOnlyList<string> Models(string[]? given)
    {
        var named = (given ?? []).SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (named.Count == 0) return ModelZoo.Names;
        return named.Select(n => ModelZoo.Names.FirstOrDefault(z => string.Equals(z, n.Replace("zoo:", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"--models: no zoo model named '{n}' (available: {string.Join(", ", ModelZoo.Names)})")).Distinct().ToList();
    }
}
