using Tessel.Tests.Support;
using Tessel.Bench.Fuzz;

namespace Tessel.Tests.Fuzz;

/// <summary>The short fuzz (the long one: <c>tessel bench fuzz</c>): damaged ONNX files and logs load cleanly or
/// fail with an error that names the file — never an unhandled exception or a hang.</summary>
public sealed class FuzzTests : IDisposable
{
    private static readonly string Models = TestData.Models;
    private readonly string log = FuzzCorpus.WriteTesselLog(Path.Combine(Path.GetTempPath(), $"tessel-fuzz-{Guid.NewGuid():N}.jsonl"), seed: 1);

    public void Dispose() => File.Delete(log);

    [Fact]
    public void Six_hundred_damaged_models_and_logs_load_or_fail_with_an_error_naming_the_file()
    {
        var models = FuzzCorpus.Models(Models);
        Assert.Equal(2, models.Count);
        var outcome = FuzzSuite.Run(600, seed: 7, models, [log, TestData.AutotvmLog], TextWriter.Null);
        Assert.True(outcome.Failures.Count == 0, string.Join("\n", outcome.Failures));
        Assert.Equal(600, outcome.CleanLoads + outcome.ClearErrors);
        // Both verdicts occur: the mutations are neither all harmless nor all fatal.
        Assert.InRange(outcome.ClearErrors, 50, 550);
    }
}
