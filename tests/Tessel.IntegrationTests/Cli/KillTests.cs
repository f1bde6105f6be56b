using System.Diagnostics;
using System.Text.RegularExpressions;
using Tessel.Records;
using Tessel.Records.Database;

namespace Tessel.IntegrationTests.Cli;

/// <summary>kill -9 of the tuner at random moments: each run is really killed (not finished), every record written
/// before a kill is still there unchanged, every trial the tuner reported as measured is written, no config is
/// measured twice, the worker it started goes with it, and a run after the kills finishes the budget exactly.</summary>
[Collection(SerialCollection.Name)]
public sealed partial class KillTests : IDisposable
{
    // A kill comes a few rounds of 4 trials into a run (the first report, up to 4 trials more, rounds in flight);
    // a fresh clone's run of 2026-12-03 still used all of 400 in twenty kills, and on a 2-core AVX2 host all of 800
    // (runs that finished before their kill): the budget is more than a run measures in the longest wait for its
    // first report (15 s, at over 40 trials/s of this tiny dense layer), so a run that is not seen still gets killed.
    private const int Budget = 1200;
    private readonly string directory = Directory.CreateTempSubdirectory("tessel-kill-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("--log", "kill.jsonl")]
    [InlineData("--db", "kill.db")]
    public void Twenty_kills_lose_no_written_record_and_a_resumed_run_finishes_the_budget(string option, string name)
    {
        var path = Path.Combine(directory, name);
        IRecordStore store = option == "--db" ? new TuningDatabase(path) : new LogFile(path);
        string[] args = ["tune-op", "dense", "--data", "1,128", "--kernel", "64,128", "--tuner", "random", "--seed", "1", "--trials", $"{Budget}",
            "--batch-size", "4", "--threads", "1", "--min-repeat-ms", "1", "--repeat", "1", "--remeasure", "0", option, path];
        var random = new Random(20261202);
        var written = 0;
        IReadOnlyList<string> before = [];
        for (var kill = 1; kill <= 20; kill++)
        {
            // Most kills land while trials are being measured (a random time after the run's first trial); every
            // fourth lands at a random time from the start, while the tuner starts up, opens the store or compiles.
            var afterFirstTrial = kill % 4 != 0;
            var delay = TimeSpan.FromMilliseconds(afterFirstTrial ? random.Next(0, 300) : random.Next(100, 2500));
            var (reported, workers, killed) = RunAndKill(args, afterFirstTrial, delay, maxNewTrials: random.Next(1, 5));
            var warnings = new List<string>();
            var records = store.Read(warnings.Add);
            var context = $"kill {kill} {delay.TotalSeconds:F1} s after {(afterFirstTrial ? "the first trial" : "the start")}: " +
                $"{records.Count} records, {written} before, {reported} reported";
            Assert.True(killed, "the run finished before it was killed; " + context);
            Assert.True(records.Count >= written, "a record written before the kill was lost; " + context);
            Assert.Equal(before, records.Take(before.Count).Select(r => r.ToJson().ToJsonString()));
            Assert.True(records.Count >= reported, "a trial reported as measured was not written; " + context);
            Assert.Equal(records.Count, records.Select(r => r.ConfigIndex).Distinct().Count());
            // At most the line in flight is cut, and only at the end of the log.
            Assert.True(warnings.Count <= 1, string.Join("; ", warnings));
            if (warnings.Count == 1) Assert.Contains($":{File.ReadLines(path).Count()}:", warnings[0]);
            Assert.All(workers, pid => Assert.True(Exited(pid, TimeSpan.FromSeconds(10)), $"worker {pid} outlived its tuner; " + context));
            written = records.Count;
            before = records.Select(r => r.ToJson().ToJsonString()).ToList();
        }
        Assert.InRange(written, 20, Budget - 1);

        var finish = CliRunner.Run(directory, args);
        Assert.True(finish.ExitCode == 0, finish.Stderr);
        var final = store.Read();
        Assert.Equal(Budget, final.Count);
        Assert.Equal(Budget, final.Select(r => r.ConfigIndex).Distinct().Count());
    }

    /// <summary>Starts the tuner and kills it (SIGKILL, the tuner alone) <paramref name="delay"/> after its start or after
    /// the first trial it reports, or sooner once it reports <paramref name="maxNewTrials"/> more trials than in its first
    /// report (so that however fast the machine, the kills leave most of the budget to the final run); returns the last
    /// trial count it reported, the processes it had started, and whether it was still running when killed.</summary>
    private (int Reported, IReadOnlyList<int> Workers, bool Killed) RunAndKill(string[] args, bool afterFirstTrial, TimeSpan delay, int maxNewTrials)
    {
        using var process = CliRunner.Start(directory, args);
        int reported = 0, first = -1;
        using var firstTrial = new ManualResetEventSlim();
        using var enough = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line || Progress().Match(line) is not { Success: true } m) return;
            var count = int.Parse(m.Groups[1].Value);
            Volatile.Write(ref reported, count);
            if (first < 0) first = count;
            if (count - first >= maxNewTrials) enough.Set();
            firstTrial.Set();
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (afterFirstTrial && !firstTrial.IsSet && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(10);
        enough.Wait(delay);
        if (process.HasExited) return (Volatile.Read(ref reported), [], false);
        var workers = Children(process.Id);
        process.Kill(entireProcessTree: false);
        process.WaitForExit();
        return (Volatile.Read(ref reported), workers, true);
    }

    private static IReadOnlyList<int> Children(int pid)
    {
        var tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks)) return [];
        return Directory.GetDirectories(tasks)
            .Select(t => Path.Combine(t, "children")).Where(File.Exists)
            .SelectMany(f => File.ReadAllText(f).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).Distinct().ToList();
    }

    private static bool Exited(int pid, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            // A zombie (state Z) has exited; only its parent, killed, would have reaped it.
            if (!File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z')) return true;
            Thread.Sleep(50);
        }
        return false;
    }

    [GeneratedRegex(@" (\d+)/\d+ trials")]
    private static partial Regex Progress();
}
