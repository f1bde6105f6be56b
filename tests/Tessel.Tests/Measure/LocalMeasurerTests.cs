using Tessel.Tests.Support;
using System.Diagnostics;
using Tessel.Measure;
using Xunit.Abstractions;

namespace Tessel.Tests.Measure;

public sealed class LocalMeasurerTests(MeasurerFixture fixture, ITestOutputHelper output) : IClassFixture<MeasurerFixture>
{
    private static readonly Tessel.Tasks.TuningTask Task = FaultyTestTemplate.Task();

    private static MeasureInput Input(string behaviour, int salt = 0) => new(Task, FaultyTestTemplate.Config(Task, behaviour, salt));

    private async Task<IReadOnlyList<MeasureResult>> Measure(params MeasureInput[] inputs)
    {
        var results = await fixture.Measurer.MeasureAsync(inputs);
        for (var i = 0; i < results.Count; i++)
        {
            var costs = string.Join(", ", results[i].Costs.Select(c => $"{c * 1e6:F2}us"));
            output.WriteLine($"{inputs[i].Config}: {results[i].ErrorNo} costs=[{costs}] all={results[i].AllCost:F3}s {results[i].ErrorMessage}");
        }
        Assert.Equal(inputs.Length, results.Count);
        return results;
    }

    private static void AssertValid(MeasureResult result)
    {
        Assert.True(result.IsValid, $"{result.ErrorNo}: {result.ErrorMessage}");
        Assert.Equal(MeasurerFixture.Options.Repeat, result.Costs.Count);
        Assert.All(result.Costs, c => Assert.True(c > 0 && double.IsFinite(c), $"cost {c}"));
        Assert.True(result.AllCost > 0);
    }

    [Fact]
    public async Task Valid_kernel_gets_one_positive_cost_per_repeat()
    {
        var results = await Measure(Input("ok"), Input("ok", 1));
        AssertValid(results[0]);
        AssertValid(results[1]);
        Assert.True(results[0].MeanCost < 1e-3, $"4096 multiplies took {results[0].MeanCost} s");
    }

    [Fact]
    public async Task A_measured_trial_says_where_its_time_went_and_a_failed_one_stops_where_it_failed()
    {
        var results = await Measure(Input("ok", 4), Input("wrong", 4));
        var ok = results[0].Stages!;
        Assert.True(ok.EmitSeconds > 0 && ok.CompileSeconds > 0, $"emit {ok.EmitSeconds} s, compile {ok.CompileSeconds} s");
        var worker = ok.Worker!;
        // The repeats are sized by the pilot to about their minimum each (a quarter of it at the least, for a kernel that runs
        // faster once sized); the worker's stages fit in the round trip that holds them.
        Assert.True(worker.RepeatsSeconds >= MeasurerFixture.Options.Repeat * MeasurerFixture.Options.MinRepeatMs / 1e3 / 4, $"repeats {worker.RepeatsSeconds} s");
        Assert.True(worker.Total <= ok.RunSeconds, $"worker {worker.Total} s in a round trip of {ok.RunSeconds} s");
        Assert.True(ok.EmitSeconds + ok.CompileSeconds + ok.ReferenceSeconds + ok.TaskLoadSeconds + ok.ImageLoadSeconds + ok.RunSeconds <= results[0].AllCost * 1.0001);
        Assert.Null(results[1].Stages!.Worker); // the wrong answer ends it before the pilot
    }

    [Fact]
    public async Task Each_failure_gets_its_own_code_and_the_rest_of_the_batch_still_runs()
    {
        // A worker a test before this one killed starts again for this batch; its first trial (the JIT of the whole
        // measuring path) once took over the 2 s limit on a machine busy with the other test classes. One trial first.
        await Measure(Input("ok", 6));
        var results = await Measure(Input("ok", 2), Input("wrong"), Input("throw"), Input("nocompile"), Input("badinstance"), Input("ok", 3));
        AssertValid(results[0]);
        Assert.Equal(MeasureErrorNo.WrongAnswer, results[1].ErrorNo);
        Assert.Contains("error", results[1].ErrorMessage);
        Assert.Equal(MeasureErrorNo.RuntimeDevice, results[2].ErrorNo);
        Assert.Contains("kernel says no", results[2].ErrorMessage);
        Assert.Equal(MeasureErrorNo.CompileHost, results[3].ErrorNo);
        Assert.Contains("error CS", results[3].ErrorMessage);
        Assert.Equal(MeasureErrorNo.InstantiationError, results[4].ErrorNo);
        Assert.Contains("cannot be instantiated", results[4].ErrorMessage);
        AssertValid(results[5]);
        Assert.All(results.Skip(1).Take(4), r => Assert.Empty(r.Costs));
    }

    [Theory]
    [InlineData("oob")]
    [InlineData("failfast")]
    public async Task Kernel_that_kills_the_worker_gets_runtime_error_and_the_next_trial_succeeds(string behaviour)
    {
        var starts = fixture.Measurer.Runner.Starts;
        var results = await Measure(Input(behaviour), Input("ok", 4));
        Assert.Equal(MeasureErrorNo.RuntimeDevice, results[0].ErrorNo);
        Assert.Contains("died", results[0].ErrorMessage);
        AssertValid(results[1]);
        Assert.Equal(starts + 1, fixture.Measurer.Runner.Starts);
    }

    [Fact]
    public async Task Hung_kernel_times_out_within_the_run_timeout_and_the_next_trial_succeeds()
    {
        // Built first and timed apart: the limit is the runner's, and a slow compile on a busy machine is not.
        var builds = await new KernelBuilder().BuildAsync([Input("hang"), Input("ok", 5)], MeasurerFixture.Options);
        var clock = Stopwatch.StartNew();
        var hungFor = TimeSpan.Zero;
        var results = await fixture.Measurer.Runner.RunAsync(builds, MeasurerFixture.Options,
            onResult: (i, _) => { if (i == 0) hungFor = clock.Elapsed; });
        Assert.Equal(MeasureErrorNo.RunTimeout, results[0].ErrorNo);
        var limit = MeasurerFixture.Options.RunTimeout.TotalSeconds + 2;
        Assert.True(hungFor.TotalSeconds < limit, $"timeout took {hungFor.TotalSeconds:F2} s");
        AssertValid(results[1]);
        output.WriteLine($"the hang ended after {hungFor.TotalSeconds:F2} s, the batch after {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task A_task_whose_tensors_take_longer_to_reach_the_worker_than_the_kernel_limit_still_measures()
    {
        // 64 MB of tensors (VGG's dense layer has 411 MB) take seconds through the pipe; the 2 s limit is the kernel's alone.
        var big = FaultyTestTemplate.Task(1 << 23);
        await fixture.Measurer.Runner.StopAsync(); // a fresh worker, which must load the task
        var results = await Measure(new MeasureInput(big, FaultyTestTemplate.Config(big, "ok")));
        AssertValid(results[0]);
    }

    [Fact]
    public void The_compiler_warm_up_compiles_real_template_kernels_without_errors()
    {
        var batch = KernelBuilder.WarmUp();
        Assert.NotNull(batch.Image);
        Assert.Empty(batch.Errors);
    }

    [Fact]
    public async Task Tiny_kernels_measure_fast()
    {
        var inputs = Enumerable.Range(10, 50).Select(s => Input("ok", s)).ToArray();
        var builder = new KernelBuilder();
        var clock = Stopwatch.StartNew();
        var builds = await builder.BuildAsync(inputs, MeasurerFixture.Options);
        var buildSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var results = await fixture.Measurer.Runner.RunAsync(builds, MeasurerFixture.Options);
        var runSeconds = clock.Elapsed.TotalSeconds;
        Assert.All(results, AssertValid);
        var means = results.Select(r => r.MeanCost * 1e6).Order().ToArray();
        var spreads = results.Select(r => (r.Costs.Max() - r.Costs.Min()) / r.Costs.Min()).Order().ToArray();
        output.WriteLine($"build {buildSeconds:F2} s ({inputs.Length / buildSeconds:F0}/s), run {runSeconds:F2} s ({inputs.Length / runSeconds:F1}/s), " +
            $"together {inputs.Length / (buildSeconds + runSeconds):F1} trials/s");
        output.WriteLine($"mean cost us: min {means[0]:F2} median {means[means.Length / 2]:F2} max {means[^1]:F2}; " +
            $"repeat spread (max-min)/min: median {spreads[spreads.Length / 2]:P1} max {spreads[^1]:P1}");
        Assert.True(inputs.Length / runSeconds > 5, $"only {inputs.Length / runSeconds:F1} trials/s");
    }
}
