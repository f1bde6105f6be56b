using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessel.Records.Shipped;

/// <summary>Where and how a shipped file's records were measured: its header. The records are only as good as this
/// host is like the user's, so <c>tessel shipped</c> shows it and the file cannot be read without it.</summary>
/// <param name="Target">the target text every record of the file has (<c>tessel-cpu -isa=avx512</c>): the ISA class it serves</param>
/// <param name="Cpu">the measuring CPU in a line (model name, vector features, cores)</param>
/// <param name="Threads">threads each kernel was measured with</param>
/// <param name="Date">the day the file was written (UTC, yyyy-MM-dd)</param>
/// <param name="TrialsPerTask">the tuning budget of every task</param>
/// <param name="Tuner">the search strategy that tuned them</param>
/// <param name="Models">the zoo models whose tasks were tuned</param>
/// <param name="RecordsPerWorkload">the fastest records kept per workload</param>
public sealed record ShippedHost(string Target, string Cpu, string Isa, int Threads, string Date, string TesselVersion, int TrialsPerTask, string Tuner,
    IReadOnlyList<string> Models, int RecordsPerWorkload)
{
    /// <summary>The first line of a shipped file: this prefix, then the header as JSON. A <c>#</c> line, so the file
    /// decompressed is still a log that every reader of logs reads.</summary>
    public const string LinePrefix = "# tessel-shipped ";

    public const int FormatVersion = 1;

    // Readable as written ("avx2+fma", not "avx2\u002Bfma"): the line is for people too, and a comment to JSON readers.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string ToLine() => LinePrefix + ToJson().ToJsonString(Readable);

    public JsonObject ToJson() => new()
    {
        ["format"] = FormatVersion,
        ["target"] = Target,
        ["cpu"] = Cpu,
        ["isa"] = Isa,
        ["threads"] = Threads,
        ["date"] = Date,
        ["tessel_version"] = TesselVersion,
        ["trials_per_task"] = TrialsPerTask,
        ["tuner"] = Tuner,
        ["models"] = new JsonArray(Models.Select(m => (JsonNode)m).ToArray()),
        ["records_per_workload"] = RecordsPerWorkload,
    };

    /// <summary>The header of a line, or an <see cref="InvalidDataException"/> that says what is wrong with it.</summary>
    public static ShippedHost Parse(string line, string name)
    {
        if (!line.StartsWith(LinePrefix, StringComparison.Ordinal))
            throw new InvalidDataException($"{name}: no '{LinePrefix.Trim()}' header on its first line: not a shipped records file");
        try
        {
            var json = JsonNode.Parse(line[LinePrefix.Length..]) as JsonObject ?? throw new InvalidDataException($"{name}: the header is not a JSON object");
            var format = json["format"]?.GetValue<int>();
            if (format != FormatVersion) throw new InvalidDataException($"{name}: header format {format?.ToString() ?? "(none)"} is not {FormatVersion}");
            string Text(string field) => json[field]?.GetValue<string>() ?? throw new InvalidDataException($"{name}: the header has no \"{field}\"");
            int Number(string field) => json[field]?.GetValue<int>() ?? throw new InvalidDataException($"{name}: the header has no \"{field}\"");
            var models = json["models"] as JsonArray ?? throw new InvalidDataException($"{name}: the header has no \"models\" list");
            return new ShippedHost(Text("target"), Text("cpu"), Text("isa"), Number("threads"), Text("date"), Text("tessel_version"), Number("trials_per_task"),
                Text("tuner"), models.Select(m => m!.GetValue<string>()).ToArray(), Number("records_per_workload"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidDataException($"{name}: the header is damaged ({e.Message})", e);
        }
    }

    /// <summary>The host in a line, for people: <c>AMD EPYC ..., avx512, 2 threads, 2026-05-02, Tessel 0.1.0, 64 trials per task (model)</c>.</summary>
    public override string ToString() =>
        $"{Cpu}; isa {Isa}, {Threads} thread{(Threads == 1 ? "" : "s")}, {Date}, Tessel {TesselVersion}, {TrialsPerTask} trials per task ({Tuner}), " +
        $"best {RecordsPerWorkload} per workload of {string.Join(", ", Models)}";
}
