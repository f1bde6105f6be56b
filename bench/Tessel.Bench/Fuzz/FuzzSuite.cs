using System.Diagnostics;
using Tessel.Graph.Onnx;
using Tessel.Graph.Onnx.Proto;
using Tessel.Records;
using Tessel.Records.Database;
using Tessel.Templates;

namespace Tessel.Bench.Fuzz;

/// <summary>Feeds damaged ONNX files to import and damaged logs to log reading (and on into history best, the
/// templates' spaces and a tuning database). Every case must load cleanly or fail with an error that names
/// the file; anything else — an unhandled exception, an error that does not say which file, a case that
/// hangs — is a failure, reported with the seed that reproduces it.</summary>
public static class FuzzSuite
{
    public sealed record Outcome(int Cases, int CleanLoads, int ClearErrors, IReadOnlyList<string> Failures, TimeSpan Elapsed);

    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(30);

    public static Outcome Run(int cases, int seed, IReadOnlyList<string> models, IReadOnlyList<string> logs, TextWriter progress)
    {
        var directory = Directory.CreateTempSubdirectory("tessel-fuzz-").FullName;
        try
        {
            var protos = models.Select(m => (Name: Path.GetFileName(m), Bytes: File.ReadAllBytes(m), Proto: ModelProto.Parser.ParseFrom(File.ReadAllBytes(m)))).ToList();
            var texts = logs.Select(l => (Name: Path.GetFileName(l), Bytes: File.ReadAllBytes(l))).ToList();
            var database = new TuningDatabase(Path.Combine(directory, "fuzz.db"));
            int clean = 0, clear = 0;
            var failures = new List<string>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < cases; i++)
            {
                var random = new Random(unchecked(seed * 1_000_003 + i));
                var onnx = i % 2 == 0;
                string label;
                byte[] bytes;
                if (onnx)
                {
                    var (name, original, proto) = protos[random.Next(protos.Count)];
                    var structured = random.Next(2) == 0;
                    var kind = structured ? OnnxMutations.Kinds[random.Next(OnnxMutations.Kinds.Length)] : ByteMutations.Kinds[random.Next(ByteMutations.Kinds.Length)];
                    bytes = structured ? OnnxMutations.Apply(kind, proto, random) : ByteMutations.Apply(kind, original, random);
                    label = $"case {i} (seed {seed}): {kind} of {name}";
                }
                else
                {
                    var (name, original) = texts[random.Next(texts.Count)];
                    var textual = random.Next(2) == 0;
                    var kind = textual ? LogMutations.Kinds[random.Next(LogMutations.Kinds.Length)] : ByteMutations.Kinds[random.Next(ByteMutations.Kinds.Length)];
                    bytes = textual ? LogMutations.Apply(kind, original, random) : ByteMutations.Apply(kind, original, random);
                    label = $"case {i} (seed {seed}): {kind} of {name}";
                }
                var path = Path.Combine(directory, onnx ? $"case{i}.onnx" : $"case{i}.jsonl");
                File.WriteAllBytes(path, bytes);
                var run = Task.Run(() => onnx ? LoadModel(path) : ReadLog(path, database));
                if (!run.Wait(CaseLimit)) failures.Add($"{label}: still running after {CaseLimit.TotalSeconds} s");
                else if (run.Result.Failure is { } failure) failures.Add($"{label}: {failure}");
                else if (run.Result.Loaded) clean++;
                else clear++;
                File.Delete(path);
                if ((i + 1) % 1000 == 0) progress.WriteLine($"[fuzz] {i + 1}/{cases} cases, {failures.Count} failures, {clock.Elapsed.TotalSeconds:F0} s");
            }
            return new Outcome(cases, clean, clear, failures, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The long run of <c>tessel bench fuzz</c>, as a markdown report: the shared models and a Tessel and an AutoTVM log.</summary>
    public static string Report(int cases, string sharedModels, string autotvmLog, TextWriter progress)
    {
        var log = FuzzCorpus.WriteTesselLog(Path.Combine(Path.GetTempPath(), $"tessel-fuzz-corpus-{Environment.ProcessId}.jsonl"), seed: 1);
        try
        {
            var models = FuzzCorpus.Models(sharedModels);
            var logs = File.Exists(autotvmLog) ? new[] { log, autotvmLog } : [log];
            var outcome = Run(cases, seed: 1, models, logs, progress);
            var lines = new List<string>
            {
                $"Fuzz: {outcome.Cases} cases in {outcome.Elapsed.TotalSeconds:F0} s (half damaged ONNX files of {string.Join(", ", models.Select(Path.GetFileName))}, " +
                $"half damaged logs of {string.Join(", ", logs.Select(Path.GetFileName))}; seed 1)",
                "",
                $"- loaded cleanly: {outcome.CleanLoads}",
                $"- refused with an error naming the file: {outcome.ClearErrors}",
                $"- failures (unhandled, unnamed or hung): {outcome.Failures.Count}",
            };
            lines.AddRange(outcome.Failures.Take(50).Select(f => "  - " + f));
            return string.Join('\n', lines);
        }
        finally { File.Delete(log); }
    }

    /// <summary>The exception and where it was thrown, to find the code that let it through.</summary>
    private static string Describe(Exception e) =>
        $"{e.GetType().Name}: {e.Message} ({e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Tessel."))?.Trim()})";

    /// <summary>Loaded, or refused with an error naming the file; anything else is the failure.</summary>
    private static (bool Loaded, string? Failure) LoadModel(string path)
    {
        try
        {
            OnnxImport.Load(path);
            return (true, null);
        }
        catch (FormatException e) when (e.Message.StartsWith(path, StringComparison.Ordinal)) { return (false, null); }
        catch (Exception e) { return (false, Describe(e)); }
    }

    /// <summary>Loaded when the log's records read, rank, map into their templates' spaces and go into a database,
    /// every skipped line named; anything else is the failure.</summary>
    private static (bool Loaded, string? Failure) ReadLog(string path, TuningDatabase database)
    {
        try
        {
            var warnings = new List<string>();
            var records = RecordReader.Read(path, warnings.Add);
            if (warnings.FirstOrDefault(w => !w.StartsWith(path + ":", StringComparison.Ordinal)) is { } unnamed) return (false, $"a warning does not name the line: {unnamed}");
            var history = new HistoryBest(records);
            foreach (var entry in history.Workloads)
            {
                if (entry.Best is not { } best || TemplateRegistry.Find(best.TaskName) is not { } template) continue;
                try { best.ConfigIn(Tasks.TuningTask.OfRecorded(template, best.Workload, new Workloads.Target(best.Target)).Space); }
                // A workload whose args do not fit the template is a clean refusal of that record, not of the log.
                catch (FormatException) { }
            }
            database.Import(records);
            return (true, null);
        }
        catch (Exception e) { return (false, Describe(e)); }
    }
}
