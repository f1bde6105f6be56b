using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Measure;
using Tessel.OnnxRuntime;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Tuners;
using Tessel.Tuning;
using Tessel.Workloads;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel tune-op</c>: tunes one operator on this CPU into a log.</summary>
public static class TuneOpCommand
{
    public static Command Create()
    {
        var op = new Argument<string>("op") { Description = "Operator: conv2d (NCHW, OIHW), winograd (a 3x3 stride-1 conv2d by Winograd's F(2x2)/F(4x4)), depthwise (NCHW, C x multiplier x KH " +
            "x KW), dense (N x K, M x K) or conv2d_transpose (NCHW, weight as ONNX's ConvTranspose holds it: C x OC x KH x KW)" };
        op.AcceptOnlyFromAmong([.. TemplateRegistry.OpNames]);
        var data = new Option<string>("--data") { Description = "Input shape, e.g. 1,64,56,56 (dense: 1,2048)", Required = true };
        var kernel = new Option<string>("--kernel") { Description = "Weight shape, e.g. 64,64,3,3 (dense: 1000,2048)", Required = true };
        var stride = new Option<string>("--stride") { Description = "Stride: s or sh,sw", DefaultValueFactory = _ => "1" };
        var padding = new Option<string>("--padding") { Description = "Padding: p, ph,pw, or top,left,bottom,right", DefaultValueFactory = _ => "0" };
        var dilation = new Option<string>("--dilation") { Description = "Dilation: d or dh,dw", DefaultValueFactory = _ => "1" };
        var groups = new Option<int>("--groups") { Description = "Groups of a grouped conv2d", DefaultValueFactory = _ => 1 };
        var outputPadding = new Option<string>("--output-padding") { Description = "conv2d_transpose: rows and columns added at the output's end, op or oh,ow " +
            "(below the stride)", DefaultValueFactory = _ => "0" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var noAlternatives = new Option<bool>("--no-alternatives") { Description = "Tune only the op's own template, not its other implementations (Winograd for a 3x3 stride-1 conv2d)" };
        var compareOrt = new Option<bool>("--compare-ort") { Description = "After tuning, time the same op in ONNX Runtime, the FMA peak and the memory read bandwidth (128 MiB, " +
            "and an array of the weight's size) at the same thread count" };
        var tuning = new TuningOptions();

        var command = new Command("tune-op", "Tune one operator on this CPU: real generated kernels, really measured, logged as AutoTVM records")
        {
            op, data, kernel, stride, padding, dilation, groups, outputPadding, json, compareOrt, noAlternatives,
        };
        tuning.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var workload = MakeWorkload(parsed.GetValue(op)!, parsed.GetValue(data)!, parsed.GetValue(kernel)!,
                parsed.GetValue(stride)!, parsed.GetValue(padding)!, parsed.GetValue(dilation)!, parsed.GetValue(groups), parsed.GetValue(outputPadding)!);
            var template = TemplateRegistry.Find(workload.TaskName)!;
            // Every implementation of the workload gets the same budget and the same log; the faster one is
            // the result, as a model would run it.
            var tasks = new List<TuningTask> { new(template, workload, Target.Host) };
            if (!parsed.GetValue(noAlternatives))
                tasks.AddRange(TemplateRegistry.Alternatives(workload).Select(i => new TuningTask(i.Template, i.Workload, Target.Host)));
            var options = tuning.Tune(parsed);
            var store = tuning.Store(parsed);
            var log = store.Name;

            await using var measurer = await tuning.MeasurerAsync(parsed, options.Measure, ct);
            var session = tuning.Session(parsed, measurer, store, ct);
            var tuned = await ProgressBar.RunManyAsync(bar => SequentialTuning.RunAsync(tasks, session with { Progress = (_, prefix, budget) => [bar(prefix, budget)] },
                i => $"{tasks[i].Name} "));
            // The best reported (and used by a model later) is the fastest re-measured config, not one lucky measurement.
            if ((await BestRemeasure.RunAsync(tasks, session, session.Remeasure)).Configs > 0)
            {
                var records = store.Read(Consoles.Warn);
                tuned = [.. tuned.Select((r, i) => BestRemeasure.Rebest(r, tasks[i], records))];
            }
            var results = tasks.Zip(tuned, (task, result) => (Task: task, Result: result)).ToList();
            var (best, result) = results.MaxBy(r => r.Result.BestGflops);

            var reference = parsed.GetValue(compareOrt) ? Reference.Measure(best, options.Measure.Threads) : null;
            if (parsed.GetValue(json)) Consoles.WriteJson(ToJson(best, result, log, reference, results));
            else Print(results, log, reference);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Workload MakeWorkload(string op, string data, string kernel, string stride, string padding, string dilation, int groups, string outputPadding = "0")
    {
        var d = IntListParser.Parse("--data", data);
        var k = IntListParser.Parse("--kernel", kernel);
        var template = TemplateRegistry.FindOp(op)
            ?? throw new UsageException($"unknown op '{op}' (choose one of: {string.Join(", ", TemplateRegistry.OpNames)})");
        try
        {
            return template.FromOperands(new OpOperands(d, k, IntListParser.PerAxis("--stride", stride),
                IntListParser.Padding("--padding", padding), IntListParser.PerAxis("--dilation", dilation), groups)
            {
                OutputPadding = IntListParser.PerAxis("--output-padding", outputPadding),
            });
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{op}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "")}");
        }
    }

    /// <summary>What the tuned kernel is compared with: the same op in ONNX Runtime, this CPU's FMA peak and its read
    /// bandwidth beside the weight's bytes (the roof of a kernel that streams its weights), all at the thread count the
    /// kernel was tuned for, measured in this run.</summary>
    private sealed record Reference(int Threads, double OrtGflops, double PeakGflops, double OrtSeconds, WeightRead Read)
    {
        public static Reference Measure(TuningTask task, int threads)
        {
            var gflop = task.Flops / 1e9;
            var ort = OrtOperator.MedianSeconds(task, threads);
            return new Reference(threads, gflop / ort, FmaPeak.Measure(threads), ort, WeightRead.Measure(task, threads));
        }
    }

    private static JsonObject ToJson(TuningTask task, TuneResult result, string log, Reference? reference, List<(TuningTask Task, TuneResult Result)> all)
    {
        var json = ToJson(task, result, log);
        json["implementations"] = new JsonArray(all.Select(r => (JsonNode)new JsonObject
        {
            ["task"] = r.Task.Name,
            ["trials"] = r.Result.Trials,
            ["errors"] = r.Result.Errors,
            ["best_gflops"] = r.Result.BestGflops,
        }).ToArray());
        if (reference is null) return json;
        json["ort_gflops"] = reference.OrtGflops;
        json["peak_gflops"] = reference.PeakGflops;
        json["threads"] = reference.Threads;
        json["best_over_ort"] = result.BestGflops / reference.OrtGflops;
        json["best_percent_of_peak"] = 100 * result.BestGflops / reference.PeakGflops;
        // The weight's bytes per call's seconds, against the read bandwidth of main memory and of an array of the weight's size.
        var read = reference.Read;
        double? achieved = double.IsFinite(result.BestSeconds) ? read.Achieved(result.BestSeconds) : null;
        json["weight_bytes"] = read.WeightBytes;
        json["achieved_gbs"] = achieved;
        json["ort_achieved_gbs"] = read.Achieved(reference.OrtSeconds);
        json["bandwidth_gbs"] = read.MemoryGBs;
        json["percent_of_bandwidth"] = 100 * achieved / read.MemoryGBs;
        json["cache_bandwidth_gbs"] = read.CacheGBs;
        json["percent_of_cache_bandwidth"] = 100 * achieved / read.CacheGBs;
        return json;
    }

    private static JsonObject ToJson(TuningTask task, TuneResult result, string log) => new()
    {
        ["task"] = task.Name,
        ["workload"] = task.Workload.Args.DeepClone(),
        ["space_size"] = task.Space.Size,
        ["trials"] = result.Trials,
        ["measured"] = result.Measured,
        ["errors"] = result.Errors,
        ["best_ms"] = double.IsFinite(result.BestSeconds) ? result.BestSeconds * 1e3 : null,
        ["best_gflops"] = result.BestGflops,
        ["config"] = result.BestConfig?.ToJson(),
        ["tuning_s"] = result.Elapsed.TotalSeconds,
        ["log"] = log,
    };

    private static void Print(List<(TuningTask Task, TuneResult Result)> results, string log, Reference? reference)
    {
        var (_, winner) = results.MaxBy(r => r.Result.BestGflops);
        var table = new Table().AddColumns("", "");
        table.HideHeaders();
        foreach (var (task, result) in results)
        {
            var mark = results.Count > 1 && result == winner ? " (fastest)" : "";
            table.AddRow("task", Markup.Escape(task.ToString()) + mark);
            table.AddRow("space", $"{task.Space.Size:N0} configs");
            table.AddRow("trials", $"{result.Trials} ({result.Measured} measured now, {result.Errors} errors)");
            table.AddRow("best", double.IsFinite(result.BestSeconds) ? $"{result.BestSeconds * 1e3:F3} ms, {result.BestGflops:F1} GFLOP/s" : "no valid config");
            table.AddRow("config", Markup.Escape(result.BestConfig?.ToString() ?? "-"));
            table.AddRow("time", $"{result.Elapsed.TotalSeconds:F1} s");
        }
        table.AddRow("log", Markup.Escape(log));
        if (reference is not null)
        {
            table.AddRow("ONNX Runtime", $"{reference.OrtGflops:F1} GFLOP/s at {reference.Threads} thread(s); best / ORT = {winner.BestGflops / reference.OrtGflops:F2}x");
            table.AddRow("FMA peak", $"{reference.PeakGflops:F1} GFLOP/s; best = {100 * winner.BestGflops / reference.PeakGflops:F1}% of peak (Winograd counts the direct conv's flops)");
            var read = reference.Read;
            var achieved = read.Achieved(winner.BestSeconds);
            table.AddRow("weight read", $"{read.WeightBytes / 1e6:F2} MB a call: best {achieved:F1} GB/s, ORT {read.Achieved(reference.OrtSeconds):F1} GB/s");
            table.AddRow("read bandwidth", $"{read.MemoryGBs:F1} GB/s (128 MiB; best = {100 * achieved / read.MemoryGBs:F0}%), {read.CacheGBs:F1} GB/s (the weight's size, warm as timed; " +
                $"best = {100 * achieved / read.CacheGBs:F0}%)");
        }
        Consoles.Out.Write(table);
    }
}
