using PuppeteerSharp;

namespace Tessel.IntegrationTests.Reports;

/// <summary>A report page opened in the system's headless Chromium (Debian's <c>chromium</c>; <c>.ci/run</c> installs
/// it, nothing is downloaded): what the page logged as errors, and every request it made that was not for a local
/// file or inline data (a self-contained page makes none).</summary>
public sealed class ReportBrowser : IAsyncDisposable
{
    private readonly IBrowser browser;

    private ReportBrowser(IBrowser browser, IPage page)
    {
        this.browser = browser;
        Page = page;
        page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) Errors.Add("console: " + e.Message.Text); };
        page.PageError += (_, e) => Errors.Add("page error: " + e.Message);
        page.Request += (_, e) => { if (!e.Request.Url.StartsWith("file:", StringComparison.Ordinal) && !e.Request.Url.StartsWith("data:", StringComparison.Ordinal)) Remote.Add(e.Request.Url); };
    }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    public List<string> Remote { get; } = [];

    public static string Executable =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
        ?? throw new InvalidOperationException("no Chromium: the report tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it) or CHROMIUM_PATH");

    public static async Task<ReportBrowser> OpenAsync(string file)
    {
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Executable,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            DefaultViewport = new ViewPortOptions { Width = 1280, Height = 900 },
        });
        var page = await browser.NewPageAsync();
        var opened = new ReportBrowser(browser, page);
        await page.GoToAsync(new Uri(file).AbsoluteUri, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
        return opened;
    }

    public Task<T> EvalAsync<T>(string script) => Page.EvaluateExpressionAsync<T>(script);

    /// <summary>A column of a table, as the page's sort key: each cell's data-value where it has one.</summary>
    public Task<double[]> ColumnAsync(string table, int column) => EvalAsync<double[]>(
        $"Array.from(document.querySelectorAll('#{table} tbody tr')).map(r => parseFloat(r.cells[{column}].dataset.value))");

    public Task ClickHeaderAsync(string table, int column) => Page.ClickAsync($"#{table} thead th:nth-child({column + 1})");

    public async Task ScreenshotAsync(string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await Page.ScreenshotAsync(Path.Combine(directory, name), new ScreenshotOptions { FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Page.CloseAsync();
        await browser.CloseAsync();
        await browser.DisposeAsync();
    }
}
