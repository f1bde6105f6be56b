using System.Text.Json;
using System.Text.Json.Nodes;
using Tessel.Measure;

namespace Tessel.Records;

/// <summary>Reads one log line into a <see cref="TuningRecord"/>. Throws <see cref="FormatException"/>
/// that says what is wrong with the line; the reader turns it into a warning and goes on.</summary>
public static class RecordParser
{
    public static TuningRecord Parse(string line)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(line); }
        catch (JsonException e) { throw new FormatException($"not valid JSON ({e.Message})"); }
        if (root is not JsonObject obj) throw new FormatException("not a JSON object");
        try
        {
            var version = obj["version"]?.GetValue<double>() ?? throw new FormatException("no \"version\" field (AutoTVM v0.1 logs are not read)");
            if (Math.Abs(version - TuningRecord.FormatVersion) > 1e-9) throw new FormatException($"record version {version} is not 0.2");
            var input = obj["input"] as JsonArray ?? throw new FormatException("no \"input\" array");
            if (input.Count < 3) throw new FormatException("\"input\" must be [target, task_name, args, kwargs]");
            var config = obj["config"] as JsonObject ?? throw new FormatException("no \"config\" object");
            var result = obj["result"] as JsonArray ?? throw new FormatException("no \"result\" array");
            if (result.Count < 4) throw new FormatException("\"result\" must be [costs, error_no, all_cost, timestamp]");
            var errorNo = result[1]!.GetValue<int>();
            if (errorNo is < 0 or > 8) throw new FormatException($"error_no {errorNo} is not 0..8");
            var costs = (result[0] as JsonArray ?? throw new FormatException("costs must be an array"))
                .Select(ParseCost).ToArray();
            return new TuningRecord(
                input[0]!.GetValue<string>(),
                input[1]!.GetValue<string>(),
                input[2] as JsonArray ?? throw new FormatException("args must be an array"),
                config["index"]?.GetValue<long>() ?? throw new FormatException("config has no index"),
                config["entity"] as JsonArray ?? throw new FormatException("config has no entity list"),
                new MeasureResult(
                    (MeasureErrorNo)errorNo == MeasureErrorNo.NoError ? costs : [],
                    (MeasureErrorNo)errorNo,
                    ParseNumber(result[2]),
                    ParseNumber(result[3])),
                obj["tessel_version"]?.GetValue<string>() ?? obj["tvm_version"]?.GetValue<string>(),
                obj["remeasured"]?.GetValue<bool>() ?? false);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException)
        {
            // JsonNode reports a field of the wrong kind (or a null where a value belongs) this way.
            throw new FormatException($"a field is missing or has the wrong type ({e.Message})");
        }
    }

    // AutoTVM writes an error's detail in place of a cost on failed trials; such entries are not costs.
    private static double ParseCost(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN;

    private static double ParseNumber(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw new FormatException($"expected a number, got {node?.ToJsonString()}");
}
