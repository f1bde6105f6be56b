using System.IO.Compression;
using System.Text;
using Tessel.Records;
using Tessel.Records.Shipped;
using Tessel.Tasks;
using Tessel.Tests.Support;
using Tessel.Workloads;
using static Tessel.Tests.Support.LoggedRecords;

namespace Tessel.Tests.Records;

/// <summary>The shipped format (a gzip log with a host header) and the catalog that reads the files Tessel carries: the
/// header is read back, the committed file is real, and a damaged file is named and skipped, never half-used.</summary>
public sealed class ShippedFileTests
{
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");

    private static List<TuningRecord> Records()
    {
        var task = ToyTemplate.Task(48);
        var toy = new Tessel.Tasks.TuningTask(task.Template, task.Workload, Avx512);
        return [Logged(toy, toy.Space.Get(5), 2e-3), Logged(toy, toy.Space.Get(9), 1e-3)];
    }

    [Fact]
    public void A_target_names_its_file()
    {
        Assert.Equal("tessel-cpu-isa-avx512.jsonl.gz", ShippedFile.NameFor(Avx512));
        Assert.Equal("tessel-cpu-isa-avx2.jsonl.gz", ShippedFile.NameFor(new Target("tessel-cpu -isa=avx2")));
    }

    [Fact]
    public void The_header_and_records_read_back_as_written()
    {
        var host = ShippedFiles.Host(Avx512);
        using var stream = new MemoryStream(ShippedFiles.Bytes(host, Records()));
        var read = ShippedFile.Read(stream, "test.jsonl.gz");
        Assert.Equal(host.ToJson().ToJsonString(), read.Host.ToJson().ToJsonString());
        Assert.Equal(2, read.Records.Count);
        Assert.Equal(1, read.Workloads);
        Assert.Equal(1e-3, read.Best.Workloads.Single().MeanSeconds);
    }

    [Fact]
    public void The_shipped_file_decompressed_is_a_log_whose_header_is_a_comment()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var gzip = new GZipStream(new MemoryStream(ShippedFiles.Bytes(ShippedFiles.Host(Avx512), Records())), CompressionMode.Decompress))
            using (var file = File.Create(path))
                gzip.CopyTo(file);
            Assert.StartsWith(ShippedHost.LinePrefix, File.ReadLines(path).First());
            var warnings = new List<string>();
            Assert.Equal(2, RecordReader.Read(path, warnings.Add).Count);
            Assert.Empty(warnings);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("avx512")]
    [InlineData("avx2")]
    public void Each_committed_file_carries_the_host_it_was_measured_on_and_fits_its_target(string isa)
    {
        var target = new Target($"tessel-cpu -isa={isa}");
        var name = Assert.Single(ShippedCatalog.Embedded.Names, n => n == ShippedFile.NameFor(target));
        var warnings = new List<string>();
        var shipped = ShippedCatalog.Embedded.Named(name, warnings.Add)!;
        Assert.Empty(warnings);
        Assert.Equal(target.Text, shipped.Host.Target);
        Assert.Equal(isa, shipped.Host.Isa);
        Assert.Contains(isa, shipped.Host.Cpu);
        Assert.True(shipped.Host.Threads >= 1);
        Assert.Matches(@"^\d{4}-\d\d-\d\d$", shipped.Host.Date);
        Assert.Equal(TuningRecord.TesselVersion, shipped.Host.TesselVersion);
        Assert.True(shipped.Host.TrialsPerTask >= 1);
        // SqueezeNet 1.1 at least (the tests' model): every distinct task of it (alternatives included) has records.
        Assert.Contains("squeezenet1.1", shipped.Host.Models);
        Assert.All(ShippedTasks.Of(["squeezenet1.1"], target), t => Assert.NotNull(shipped.Best.Find(target, t.Task.Task.Workload)?.Best));
        // Only the named models' workloads, each with its fastest few records, every one a config of its task's space
        // on this target (an AVX2 file holds no 512-bit config).
        var tasks = ShippedTasks.Of(shipped.Host.Models, target).Select(t => t.Task.Task).DistinctBy(t => t.Name + t.Workload.Key).ToDictionary(t => t.Name + t.Workload.Key);
        Assert.All(shipped.Best.Workloads, w =>
        {
            var task = Assert.Contains(w.First.TaskName + w.First.Workload.Key, (IReadOnlyDictionary<string, TuningTask>)tasks);
            Assert.InRange(w.Fastest.Count, 1, shipped.Host.RecordsPerWorkload);
            Assert.All(w.Fastest, r => Assert.NotNull(r.ConfigIn(task.Space)));
        });
    }

    [Fact]
    public void A_file_that_is_not_gzip_is_named_and_skipped()
    {
        var catalog = ShippedFiles.Catalog(ShippedFile.NameFor(Avx512), Encoding.UTF8.GetBytes("{\"not\": \"gzip\"}\n"));
        var warnings = new List<string>();
        Assert.Null(catalog.For(Avx512, warnings.Add));
        var warning = Assert.Single(warnings);
        Assert.StartsWith("shipped records tessel-cpu-isa-avx512.jsonl.gz: not a readable gzip file", warning);
        Assert.EndsWith("not used", warning);
        // Said once: the damaged file is not read again.
        Assert.Null(catalog.For(Avx512, warnings.Add));
        Assert.Single(warnings);
    }

    [Fact]
    public void A_gzip_log_without_the_host_header_is_not_a_shipped_file()
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(string.Join("\n", Records().Select(r => r.ToJson().ToJsonString())) + "\n"));
        memory.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => ShippedFile.Read(memory, "plain-log.jsonl.gz"));
        Assert.Equal("plain-log.jsonl.gz: no '# tessel-shipped' header on its first line: not a shipped records file", error.Message);
    }

    [Fact]
    public void A_damaged_header_is_named()
    {
        var line = ShippedFiles.Host(Avx512).ToLine().Replace("\"threads\":2,", "", StringComparison.Ordinal);
        var error = Assert.Throws<InvalidDataException>(() => ShippedHost.Parse(line, "f.jsonl.gz"));
        Assert.Equal("f.jsonl.gz: the header has no \"threads\"", error.Message);
        Assert.Contains("the header is damaged", Assert.Throws<InvalidDataException>(() => ShippedHost.Parse(ShippedHost.LinePrefix + "{\"format\": 1, \"target\":", "f")).Message);
    }

    [Fact]
    public void A_damaged_record_line_is_skipped_with_its_line_named_and_the_others_are_used()
    {
        var bytes = ShippedFiles.Bytes(ShippedFiles.Host(Avx512), Records());
        using var text = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress)) gzip.CopyTo(text);
        var lines = Encoding.UTF8.GetString(text.ToArray()).Split('\n').ToList();
        lines[1] = lines[1][..40];
        var damaged = new MemoryStream();
        using (var gzip = new GZipStream(damaged, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(string.Join("\n", lines)));
        damaged.Position = 0;
        var warnings = new List<string>();
        var read = ShippedFile.Read(damaged, "cut.jsonl.gz", warnings.Add);
        Assert.Single(read.Records);
        Assert.StartsWith("cut.jsonl.gz:2: skipped:", Assert.Single(warnings));
    }

    [Fact]
    public void A_file_measured_for_another_target_than_its_name_says_is_not_used()
    {
        var avx2 = new Target("tessel-cpu -isa=avx2");
        var catalog = ShippedFiles.Catalog(ShippedFile.NameFor(avx2), ShippedFiles.Bytes(ShippedFiles.Host(Avx512), Records()));
        var warnings = new List<string>();
        Assert.Null(catalog.For(avx2, warnings.Add));
        Assert.Contains("measured for 'tessel-cpu -isa=avx512', not 'tessel-cpu -isa=avx2'", Assert.Single(warnings));
    }
}
