using System.Text.Json.Nodes;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Tests.Support;

namespace Tessel.Tests.Records;

public sealed class RecordTests : IDisposable
{
    private readonly string log = Path.Combine(Path.GetTempPath(), $"tessel-records-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(log);

    private static TuningRecord Record(long index, double seconds, MeasureErrorNo error = MeasureErrorNo.NoError)
    {
        var task = ToyTemplate.Task();
        var result = error == MeasureErrorNo.NoError
            ? new MeasureResult([seconds, seconds * 1.1], error, 0.5, 1700000000)
            : MeasureResult.Error(error, "failed");
        return TuningRecord.From(new MeasureInput(task, task.Space.Get(index)), result);
    }

    [Fact]
    public void Written_records_read_back_with_autotvm_fields()
    {
        using (var writer = new RecordWriter(log))
        {
            writer.Append(Record(3, 1e-3));
            writer.Append(Record(4, 0, MeasureErrorNo.RunTimeout));
        }
        var line = JsonNode.Parse(File.ReadLines(log).First())!.AsObject();
        Assert.Equal(["input", "config", "result", "version", "tessel_version"], line.Select(p => p.Key));
        Assert.Equal("toy.x86", line["input"]![1]!.GetValue<string>());
        Assert.Equal(0.2, line["version"]!.GetValue<double>());

        var records = RecordReader.Read(log);
        Assert.Equal(2, records.Count);
        Assert.Equal(3, records[0].ConfigIndex);
        Assert.Equal([1e-3, 1.1e-3], records[0].Result.Costs);
        Assert.Equal(MeasureErrorNo.RunTimeout, records[1].Result.ErrorNo);
        Assert.Equal(3, records[0].ConfigIn(ToyTemplate.Task().Space)!.Index);
    }

    [Fact]
    public void A_truncated_last_line_and_a_garbage_line_are_skipped_with_warnings_naming_file_and_line()
    {
        using (var writer = new RecordWriter(log))
            for (var i = 0; i < 5; i++) writer.Append(Record(i, 1e-3 * (i + 1)));
        var lines = File.ReadAllLines(log).ToList();
        lines.Insert(2, "this is \u0000 not json");
        var last = lines[^1];
        lines[^1] = last[..(last.Length / 2)];
        File.WriteAllText(log, string.Join("\n", lines));

        var warnings = new List<string>();
        var records = RecordReader.Read(log, warnings.Add);
        Assert.Equal(4, records.Count);
        Assert.Equal(2, warnings.Count);
        Assert.Contains($"{log}:3:", warnings[0]);
        Assert.Contains($"{log}:6:", warnings[1]);

        // Appending after a cut line starts a fresh line, so the new record is not lost.
        using (var writer = new RecordWriter(log)) writer.Append(Record(9, 1e-4));
        Assert.Equal(9, RecordReader.Read(log)[^1].ConfigIndex);
    }

    [Fact]
    public void Autotvm_logs_load_and_their_workloads_get_a_history_best()
    {
        var path = TestData.AutotvmLog;
        var warnings = new List<string>();
        var best = HistoryBest.Load(path, warnings.Add);
        Assert.Empty(warnings);
        var workloads = best.Workloads.ToList();
        Assert.Equal(2, workloads.Count);
        Assert.Equal("conv2d_nchw.cuda", workloads[0].First.TaskName);
        Assert.Equal(99, workloads[0].Best!.ConfigIndex);
        Assert.Equal(3, workloads[0].Trials);
        Assert.Equal(1, workloads[0].Errors);
        Assert.Equal("conv2d_NCHWc.x86", workloads[1].Best!.TaskName);
    }

    [Fact]
    public void History_best_ranks_by_mean_cost_and_ignores_errors()
    {
        using (var writer = new RecordWriter(log))
        {
            writer.Append(Record(1, 3e-3));
            writer.Append(Record(2, 1e-3));
            writer.Append(Record(3, 0, MeasureErrorNo.WrongAnswer));
            writer.Append(Record(4, 2e-3));
        }
        var entry = Assert.Single(HistoryBest.Load(log).Workloads);
        Assert.Equal(2, entry.Best!.ConfigIndex);
        Assert.Equal(4, entry.Trials);
        Assert.Equal(1, entry.Errors);
    }

    [Fact]
    public void A_missing_log_reads_as_empty() => Assert.Empty(RecordReader.Read(log + ".absent"));
}
