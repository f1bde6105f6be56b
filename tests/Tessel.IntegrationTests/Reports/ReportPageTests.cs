using System.Diagnostics;
using Tessel.IntegrationTests.Cli;

namespace Tessel.IntegrationTests.Reports;

/// <summary><c>tessel report</c> and <c>tune --report</c> as a user runs them, and the pages they write opened in a real
/// browser: they load with no error and no request off the machine, every section is there with the model's numbers,
/// the tables sort, and a model of 135 tasks (DenseNet-121) stays usable.</summary>
[Collection(SerialCollection.Name)]
public sealed class ReportPageTests : IDisposable
{
    private static readonly string[] Fast = ["--threads", "1", "--min-repeat-ms", "1", "--repeat", "2", "--seed", "1"];

    private readonly string directory = Directory.CreateTempSubdirectory("tessel-report-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private CliRunner.Outcome Tessel(params string[] args)
    {
        var run = CliRunner.Run(directory, args);
        Assert.True(run.ExitCode == 0, $"tessel {string.Join(' ', args)} exited {run.ExitCode}: {run.Stderr}");
        return run;
    }

    [Fact]
    public async Task A_selective_run_and_its_comparison_with_full_tuning_open_with_every_section_and_sort()
    {
        // No shipped records: SqueezeNet's would lead each first batch, and a representative's 4 trials, its 3 shipped configs
        // among them, can map to fewer than 4 distinct configs of a dependent (every task is to have tried 4 here: the RFC's scheme,
        // each dependent its representative's ten best, so all 4).
        Tessel(["tune", "zoo:squeezenet1.1", "--selective", "--scheme", "rfc", "--trials", "4", "--log", "s.jsonl", "--report", "s.html", "--no-shipped", .. Fast]);
        Tessel(["tune", "zoo:squeezenet1.1", "--trials", "4", "--log", "f.jsonl", "--no-shipped", .. Fast]);
        Tessel("report", "zoo:squeezenet1.1", "--log", "s.jsonl", "--full-log", "f.jsonl", "--threads", "1", "-o", "c.html");

        await using (var browser = await ReportBrowser.OpenAsync(Path.Combine(directory, "s.html")))
        {
            Assert.Empty(browser.Errors);
            Assert.Empty(browser.Remote);
            Assert.Equal(["model", "selection", "tasks", "curves", "roofline", "latency"], await browser.EvalAsync<string[]>(
                "Array.from(document.querySelectorAll('section')).map(s => s.id)"));
            Assert.Contains("zoo:squeezenet1.1", await browser.EvalAsync<string>("document.querySelector('h1').textContent"));
            // SqueezeNet 1.1 has 40 tasks; every one is a row, and every chart section holds a drawn chart.
            Assert.Equal(40, await browser.EvalAsync<int>("document.querySelectorAll('#task-table tbody tr').length"));
            foreach (var section in new[] { "selection", "curves", "roofline" })
                Assert.True(await browser.EvalAsync<int>($"document.querySelectorAll('#{section} svg').length") > 0, section + " has no chart");
            var latency = await browser.EvalAsync<string>("document.querySelector('#latency').textContent");
            Assert.Contains("ONNX Runtime", latency);
            Assert.Matches(@"\d+\.\d\d ms", latency);
            Assert.Contains("tried 4 of", await browser.EvalAsync<string>("document.querySelector('#task-table').textContent"));

            const int trialsColumn = 7, bestMsColumn = 9;
            Assert.All(await browser.ColumnAsync("task-table", trialsColumn), t => Assert.Equal(4, t));
            await browser.ClickHeaderAsync("task-table", bestMsColumn);
            var ascending = await browser.ColumnAsync("task-table", bestMsColumn);
            Assert.Equal(ascending.Order(), ascending);
            await browser.ClickHeaderAsync("task-table", bestMsColumn);
            var descending = await browser.ColumnAsync("task-table", bestMsColumn);
            Assert.Equal(ascending.Reverse(), descending);
            Assert.Equal("descending", await browser.EvalAsync<string>($"document.querySelector('#task-table thead th:nth-child({bestMsColumn + 1})').getAttribute('aria-sort')"));
            await browser.ScreenshotAsync("report-squeezenet-selective.png");
        }

        await using (var browser = await ReportBrowser.OpenAsync(Path.Combine(directory, "c.html")))
        {
            Assert.Empty(browser.Errors);
            Assert.Empty(browser.Remote);
            var comparison = await browser.EvalAsync<string>("document.querySelector('#comparison').textContent");
            Assert.Contains("achieved performance (RFC)", comparison);
            Assert.Matches(@"\d+\.\d% ?achieved performance", comparison);
            Assert.Equal(40, await browser.EvalAsync<int>("document.querySelectorAll('#versus-table tbody tr').length"));
            await browser.ScreenshotAsync("report-squeezenet-comparison.png");
        }
    }

    [Fact]
    public async Task A_model_of_135_tasks_gives_a_page_that_loads_and_sorts_quickly()
    {
        // One task of DenseNet-121 tuned (its classifier); the other 134 are listed as running their default configs.
        Tessel(["tune-op", "dense", "--data", "1,1024", "--kernel", "1000,1024", "--trials", "3", "--log", "d.jsonl", .. Fast]);
        Tessel("report", "zoo:densenet121", "--log", "d.jsonl", "--no-run", "--threads", "1", "-o", "d.html");
        Assert.InRange(new FileInfo(Path.Combine(directory, "d.html")).Length, 1, 8 << 20);

        var clock = Stopwatch.StartNew();
        await using var browser = await ReportBrowser.OpenAsync(Path.Combine(directory, "d.html"));
        var loaded = clock.Elapsed;
        Assert.Empty(browser.Errors);
        Assert.Equal(135, await browser.EvalAsync<int>("document.querySelectorAll('#task-table tbody tr').length"));
        Assert.True(loaded < TimeSpan.FromSeconds(15), $"the page took {loaded.TotalSeconds:F1} s to load");
        var sortMs = await browser.EvalAsync<double>(
            "(() => { const t = performance.now(); document.querySelector('#task-table thead th:nth-child(11)').click(); return performance.now() - t; })()");
        Assert.True(sortMs < 1000, $"sorting 135 rows took {sortMs:F0} ms");
        var gflops = await browser.ColumnAsync("task-table", 10);
        Assert.Equal(gflops.Order(), gflops);
        Assert.Contains("not tuned", await browser.EvalAsync<string>("document.querySelector('#task-table').textContent"));
        await browser.ScreenshotAsync("report-densenet121.png");
    }

    [Fact]
    public void A_log_with_no_record_of_the_model_is_a_clear_error()
    {
        Tessel(["tune-op", "dense", "--data", "1,64", "--kernel", "8,64", "--trials", "2", "--log", "other.jsonl", .. Fast]);
        var run = CliRunner.Run(directory, "report", "zoo:squeezenet1.1", "--log", "other.jsonl", "-o", "x.html");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("other.jsonl holds no record of zoo:squeezenet1.1's workloads", run.Stderr);
        Assert.False(File.Exists(Path.Combine(directory, "x.html")));

        var missingLog = CliRunner.Run(directory, "report", "zoo:squeezenet1.1", "--log", "missing.jsonl", "-o", "x.html");
        Assert.NotEqual(0, missingLog.ExitCode);
        Assert.Contains("missing.jsonl", missingLog.Stderr);
    }
}
