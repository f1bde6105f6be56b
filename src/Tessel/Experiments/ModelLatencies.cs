using Tessel.Graph;
using Tessel.Measure.Timing;
using Tessel.Planning;
using Tessel.Records;
using Tessel.Workloads;

namespace Tessel.Experiments;

/// <summary>A model's latency with each of several logs, measured side by side through one timing engine: how every
/// experiment here compares logs (full against selective, a log's prefixes against budgeted runs).</summary>
public static class ModelLatencies
{
    /// <summary>Rounds of measurement taking turns between the compiled models; each model's median is kept.</summary>
    public const int Rounds = 7;

    /// <summary>The model's latency in ms with each log, one figure per compilation of the log's fastest plan. First each
    /// log's model is compiled under every distinct layout plan and all are measured in alternation, for each log's fastest
    /// plan: choosing it by a few timed runs at compile time, as a single compilation does, picked plans up to 5% apart in
    /// speed between compilations of one log (YOLOv3). Then that plan is compiled <paramref name="compilations"/> times (the
    /// first compilation kept) and all of every log are measured in alternation again: one compilation's latency carries where
    /// its packed weights happened to land, and two compilations of one log in separate runs were 5-10% apart (ResNet-50), as
    /// much as a comparison's whole margin. The alternation keeps drift in the machine's speed off any one log. A task with
    /// no record in a log runs its template's default config.</summary>
    public static double[][] Measure(
        ModelGraph graph, IReadOnlyList<IReadOnlyList<TuningRecord>> logs, int threads, Target target, int compilations = 4, int rounds = Rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(compilations, 1);
        var data = CompiledModel.SampleInput(graph);
        var histories = logs.Select(l => new HistoryBest(l)).ToArray();
        var plans = histories.Select(h => CompiledModel.CompileEachPlan(graph, h, threads, target)).ToArray();
        var medians = InTurns([.. plans.SelectMany(p => p)], data, rounds);
        var fastest = new CompiledModel[plans.Length];
        for (int log = 0, first = 0; log < plans.Length; first += plans[log].Count, log++)
            fastest[log] = plans[log][Enumerable.Range(0, plans[log].Count).MinBy(i => medians[first + i])];
        plans = []; // the slower plans' packed weights go before more compilations come
        GC.Collect();
        var compiled = fastest.SelectMany((model, log) =>
        {
            var policy = LayoutPolicy.All.Single(p => p.ToString() == model.Policy);
            return new[] { model }.Concat(Enumerable.Range(1, compilations - 1).Select(_ => CompiledModel.Build(graph, histories[log], threads, target, policy)));
        }).ToList();
        var latencies = InTurns(compiled, data, rounds);
        return [.. Enumerable.Range(0, logs.Count).Select(log => latencies[(log * compilations)..((log + 1) * compilations)])];
    }

    /// <summary>Each model's median latency in ms over <paramref name="rounds"/> rounds that take turns between the models,
    /// each round's figure the median of 3 repeats of at least 100 ms.</summary>
    private static double[] InTurns(IReadOnlyList<CompiledModel> models, float[] data, int rounds)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return LatencyTimer.System.InTurns(models.Select(m => m.Calls(data)).ToList(), new LatencyProtocol(WarmUpCalls: 1, MinRepeatMs: 100, Repeats: 3), rounds)
            .Select(s => s.Median * 1e3).ToArray();
    }
}
