using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessel.Cli.Terminal;
using Tessel.Measure;
using Tessel.OnnxRuntime;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;
using Tessel.Templates.Winograd;
using Tessel.Tuners;

namespace Tessel.Cli.Commands;

/// <summary><c>tessel tune-op</c>: tunes one operator on this CPU into a log.</summary>
public static class TuneOpCommand
{
    private static readonly string[] Ops = ["conv2d", "winograd", "depthwise", "dense"];

    public static Command Create()
    {
        var op = new Argument<string>("op") { Description = "Operator: conv2d (NCHW, OIHW), winograd (a 3x3 stride-1 conv2d by Winograd's F(2x2)/F(4x4)), depthwise (NCHW, C x multiplier x KH x KW) or dense (N x K, M x K)" };
        op.AcceptOnlyFromAmong(Ops);
        var data = new Option<string>("--data") { Description = "Input shape, e.g. 1,64,56,56 (dense: 1,2048)", Required = true };
        var kernel = new Option<string>("--kernel") { Description = "Weight shape, e.g. 64,64,3,3 (dense: 1000,2048)", Required = true };
        var stride = new Option<string>("--stride") { Description = "Stride: s or sh,sw", DefaultValueFactory = _ => "1" };
        var padding = new Option<string>("--padding") { Description = "Padding: p, ph,pw, or top,left,bottom,right", DefaultValueFactory = _ => "0" };
        var dilation = new Option<string>("--dilation") { Description = "Dilation: d or dh,dw", DefaultValueFactory = _ => "1" };
        var groups = new Option<int>("--groups") { Description = "Groups of a grouped conv2d", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var compareOrt = new Option<bool>("--compare-ort") { Description = "After tuning, time the same op in ONNX Runtime and the FMA peak at the same thread count" };
        var tuning = new TuningOptions();

        var command = new Command("tune-op", "Tune one operator on this CPU: real generated kernels, really measured, logged as AutoTVM records")
        {
            op, data, kernel, stride, padding, dilation, groups, json, compareOrt,
        };
        tuning.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var workload = MakeWorkload(parsed.GetValue(op)!, parsed.GetValue(data)!, parsed.GetValue(kernel)!,
                parsed.GetValue(stride)!, parsed.GetValue(padding)!, parsed.GetValue(dilation)!, parsed.GetValue(groups));
            var template = TemplateRegistry.Find(workload.TaskName)!;
            var task = new TuningTask(template, workload, Target.Host);
            var options = tuning.Tune(parsed);
            var log = parsed.GetValue(tuning.Log)!;
            var tuner = TunerRegistry.Create(parsed.GetValue(tuning.Tuner)!, task.Space, parsed.GetValue(tuning.Seed));

            await using var measurer = new LocalMeasurer(options.Measure);
            var result = await ProgressBar.RunAsync($"{task.Name} ", options.Trials, bar =>
                TaskTuning.RunAsync(task, tuner, measurer, options, log, [bar], Consoles.Warn, ct));

            var reference = parsed.GetValue(compareOrt) ? Reference.Measure(task, options.Measure.Threads) : null;
            if (parsed.GetValue(json)) Consoles.WriteJson(ToJson(task, result, log, reference));
            else Print(task, result, log, reference);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Workload MakeWorkload(string op, string data, string kernel, string stride, string padding, string dilation, int groups)
    {
        var d = IntListParser.Parse("--data", data);
        var k = IntListParser.Parse("--kernel", kernel);
        try
        {
            return op switch
            {
                "conv2d" => Conv2dNchwTemplate.Workload(d, k, IntListParser.PerAxis("--stride", stride),
                    IntListParser.Padding("--padding", padding), IntListParser.PerAxis("--dilation", dilation), groups),
                "winograd" when IntListParser.PerAxis("--stride", stride) is not [1, 1] || IntListParser.PerAxis("--dilation", dilation) is not [1, 1] || groups != 1 =>
                    throw new UsageException("winograd: takes stride 1, dilation 1 and one group (use conv2d for the others)"),
                "winograd" => Conv2dWinogradTemplate.Workload(d, k, IntListParser.Padding("--padding", padding)),
                "depthwise" => DepthwiseConv2dNchwTemplate.Workload(d, k, IntListParser.PerAxis("--stride", stride),
                    IntListParser.Padding("--padding", padding), IntListParser.PerAxis("--dilation", dilation)),
                "dense" => DenseTemplate.Workload(d, k),
                _ => throw new UsageException($"unknown op '{op}' (choose one of: {string.Join(", ", Ops)})"),
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{op}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "")}");
        }
    }

    /// <summary>What the tuned kernel is compared with: the same op in ONNX Runtime and this CPU's FMA peak,
    /// both at the thread count the kernel was tuned for, measured in this run.</summary>
    private sealed record Reference(int Threads, double OrtGflops, double PeakGflops)
    {
        public static Reference Measure(TuningTask task, int threads)
        {
            var gflop = task.Flops / 1e9;
            return new Reference(threads, gflop / OrtOperator.MedianSeconds(task, threads), FmaPeak.Measure(threads));
        }
    }

    private static JsonObject ToJson(TuningTask task, TuneResult result, string log, Reference? reference)
    {
        var json = ToJson(task, result, log);
        if (reference is null) return json;
        json["ort_gflops"] = reference.OrtGflops;
        json["peak_gflops"] = reference.PeakGflops;
        json["threads"] = reference.Threads;
        json["best_over_ort"] = result.BestGflops / reference.OrtGflops;
        json["best_percent_of_peak"] = 100 * result.BestGflops / reference.PeakGflops;
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

    private static void Print(TuningTask task, TuneResult result, string log, Reference? reference)
    {
        var table = new Table().AddColumns("", "");
        table.HideHeaders();
        table.AddRow("task", Markup.Escape(task.ToString()));
        table.AddRow("space", $"{task.Space.Size:N0} configs");
        table.AddRow("trials", $"{result.Trials} ({result.Measured} measured now, {result.Errors} errors)");
        table.AddRow("best", double.IsFinite(result.BestSeconds) ? $"{result.BestSeconds * 1e3:F3} ms, {result.BestGflops:F1} GFLOP/s" : "no valid config");
        table.AddRow("config", Markup.Escape(result.BestConfig?.ToString() ?? "-"));
        table.AddRow("time", $"{result.Elapsed.TotalSeconds:F1} s");
        table.AddRow("log", Markup.Escape(log));
        if (reference is not null)
        {
            table.AddRow("ONNX Runtime", $"{reference.OrtGflops:F1} GFLOP/s at {reference.Threads} thread(s); best / ORT = {result.BestGflops / reference.OrtGflops:F2}x");
            table.AddRow("FMA peak", $"{reference.PeakGflops:F1} GFLOP/s; best = {100 * result.BestGflops / reference.PeakGflops:F1}% of peak");
        }
        Consoles.Out.Write(table);
    }
}
