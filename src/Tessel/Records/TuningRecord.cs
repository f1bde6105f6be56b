using System.Text.Json.Nodes;
using Tessel.Measure;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Records;

/// <summary>One trial written down, in AutoTVM's record v0.2 shape. The config is kept as the raw
/// <c>entity</c> list, so records of templates Tessel does not have (AutoTVM's CUDA logs) still load.
/// <see cref="Remeasured"/> (written as <c>"remeasured": true</c>, a field AutoTVM's reader ignores) marks a config measured
/// again before its task's best was used: it stands for that config in place of its earlier records.</summary>
public sealed record TuningRecord(
    string Target,
    string TaskName,
    JsonArray Args,
    long ConfigIndex,
    JsonArray Entity,
    MeasureResult Result,
    string? ToolVersion = null,
    bool Remeasured = false)
{
    public const double FormatVersion = 0.2;

    public static string TesselVersion { get; } =
        typeof(TuningRecord).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public Workload Workload => workload ??= new Workload(TaskName, Args);
    private Workload? workload;

    /// <summary>Target text plus workload key: records of one tuning problem share it.</summary>
    public string WorkloadKey => KeyOf(Target, Workload);

    public static string KeyOf(string target, Workload workload) => target + " " + workload.Key;

    public static TuningRecord From(MeasureInput input, MeasureResult result) =>
        new(input.Task.Target.Text, input.Task.Name, input.Task.Workload.Args, input.Config.Index,
            input.Config.EntityJson(), result, TesselVersion);

    /// <summary>The config in <paramref name="space"/>, or null when the record's knobs do not fit it.</summary>
    public ConfigEntity? ConfigIn(ConfigSpace space)
    {
        try { return space.FromEntityJson(Entity); }
        catch (FormatException) { return null; }
    }

    public JsonObject ToJson()
    {
        var json = Json();
        if (Remeasured) json["remeasured"] = true;
        return json;
    }

    private JsonObject Json() => new()
    {
        ["input"] = new JsonArray(Target, TaskName, Args.DeepClone(), new JsonObject()),
        ["config"] = new JsonObject { ["index"] = ConfigIndex, ["code_hash"] = null, ["entity"] = Entity.DeepClone() },
        ["result"] = new JsonArray(
            new JsonArray(Result.Costs.Select(c => (JsonNode)c).ToArray()),
            (int)Result.ErrorNo,
            Result.AllCost,
            Result.Timestamp),
        ["version"] = FormatVersion,
        ["tessel_version"] = ToolVersion ?? TesselVersion,
    };
}
