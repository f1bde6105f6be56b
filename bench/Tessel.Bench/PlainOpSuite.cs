using Tessel.OnnxRuntime;
using Tessel.Planning;
using Tessel.Records.Shipped;
using Tessel.Runtime;
using Tessel.Selective;
using Tessel.Templates;

namespace Tessel.Bench;

/// <summary>The steps no template tunes (pools, concats, adds, BN-activation passes, layout conversions, the
/// plain operators) in every zoo and shared model, as a user with no log runs them (the zero-trial start), at 1
/// and 2 threads: each step's time inside the model against ONNX Runtime's own time for the same node in its
/// own profiled run of the model. A step is flagged when it takes more than <see cref="MaxShare"/> of the model or
/// more than <see cref="MaxRatio"/> times ORT's node. Where ORT has no node of that name it fused the op into a
/// neighbour (a BatchNormalization into its conv, say); such a step is flagged when it passes the share alone.</summary>
public static class PlainOpSuite
{
    public const double MaxShare = 0.05;
    public const double MaxRatio = 1.5;

    private sealed record Flagged(string Model, int Threads, string Node, string Kind, double Ms, double Share, double? OrtMs);

    private sealed record Summary(string Model, int Threads, double ModelMs, double PlainMs, int PlainSteps, int Flagged, double WorstShare, double? WorstRatio);

    public static Task<string> RunAsync(string? only, TextWriter progress, CancellationToken ct = default)
    {
        var models = NameFilter.Apply(only, ModelSuite.Models(BenchData.Models), m => m.Name);
        if (models.Count == 0) throw new ArgumentException($"no model matches '{only}'");
        var summaries = new List<Summary>();
        var flagged = new List<Flagged>();
        foreach (var model in models)
        {
            var graph = model.Load();
            var data = CompiledModel.SampleInput(graph);
            var shape = graph.Inputs.Single().Value;
            var onnx = model.Onnx(graph);
            foreach (var threads in new[] { 1, 2 })
            {
                ct.ThrowIfCancellationRequested();
                var compiled = CompiledModel.Compile(graph, null, threads, start: new ZeroTrialStart(ShippedCatalog.Embedded, () => [], progress.WriteLine));
                var run = new ModelRun(0, null, null, null, 0, 0)
                {
                    Steps = compiled.ProfileSteps(data),
                    OrtSteps = OrtNodeProfile.Measure(onnx, threads, data, shape),
                };
                var total = run.Steps.Sum(s => s.InSequenceSeconds);
                var plain = run.Steps.Where(s => TemplateRegistry.Find(s.Label.Kind) is null).ToList();
                var rows = plain.Select(s => new Flagged(model.Name, threads, s.Label.Node, s.Label.Kind, s.InSequenceSeconds * 1e3, s.InSequenceSeconds / total,
                    run.OrtSecondsOf(s.Label) * 1e3)).ToList();
                var over = rows.Where(IsFlagged).ToList();
                flagged.AddRange(over);
                summaries.Add(new Summary(model.Name, threads, total * 1e3, rows.Sum(r => r.Ms), rows.Count, over.Count,
                    rows.Count == 0 ? 0 : rows.Max(r => r.Share), rows.Where(r => r.OrtMs > 0).Select(r => r.Ms / r.OrtMs!.Value).DefaultIfEmpty().Max()));
                progress.WriteLine($"[{model.Name} {threads}T] {rows.Count} plain steps, {Stats.F(rows.Sum(r => r.Ms), 2)} of {Stats.F(total * 1e3, 2)} ms; " +
                    $"{over.Count} over {MaxShare:P0} of the model or {MaxRatio}x ORT's node");
            }
        }
        return Task.FromResult(Markdown(summaries, flagged));
    }

    private static bool IsFlagged(Flagged row) => row.Share > MaxShare || row.OrtMs is > 0 && row.Ms > MaxRatio * row.OrtMs.Value;

    private static string Markdown(List<Summary> summaries, List<Flagged> flagged)
    {
        var lines = new List<string>
        {
            "| model | threads | steps' sum ms | untuned steps | their ms | their share | largest share | largest ratio to ORT's node | flagged |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var s in summaries)
            lines.Add($"| {s.Model} | {s.Threads} | {Stats.F(s.ModelMs, 2)} | {s.PlainSteps} | {Stats.F(s.PlainMs, 2)} | {s.PlainMs / s.ModelMs:P1} | {s.WorstShare:P1} | " +
                $"{(s.WorstRatio is { } r and > 0 ? Stats.F(r, 2) + "x" : "-")} | {s.Flagged} |");
        lines.Add("");
        lines.Add($"Flagged steps (over {MaxShare:P0} of the model's steps, or over {MaxRatio}x ONNX Runtime's time for the same node in its own profiled run), " +
            "largest excess first. ORT ms is blank where ORT has no node of that name (fused into a neighbour, or renamed):");
        lines.Add("");
        lines.Add("| model | threads | node | kind | ms | share | ORT ms | ratio |");
        lines.Add("|---|---|---|---|---|---|---|---|");
        foreach (var f in flagged.OrderByDescending(f => f.Ms - (f.OrtMs ?? 0)))
            lines.Add($"| {f.Model} | {f.Threads} | {f.Node} | {f.Kind} | {Stats.F(f.Ms, 3)} | {f.Share:P1} | {(f.OrtMs is { } o ? Stats.F(o, 3) : "")} | " +
                $"{(f.OrtMs is > 0 ? Stats.F(f.Ms / f.OrtMs.Value, 2) + "x" : "")} |");
        lines.Add("");
        lines.Add("Times are medians over 21 runs of the whole model (Tessel's step profile; ORT's own profiler, one warm-up dropped), the same input, " +
            "no log (the zero-trial start of the shipped records). A step's time includes what it absorbed (an activation fused into an add or a BN pass).");
        return string.Join("\n", lines) + "\n";
    }
}
