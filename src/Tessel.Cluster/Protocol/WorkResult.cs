using Tessel.Measure;

namespace Tessel.Cluster.Protocol;

/// <summary>A measured item, in <see cref="MeasureResult"/>'s fields, with the worker that measured it.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkResult(
    [property: Id(0)] string Id,
    [property: Id(1)] double[] Costs,
    [property: Id(2)] int ErrorNo,
    [property: Id(3)] double AllCost,
    [property: Id(4)] double Timestamp,
    [property: Id(5)] string? ErrorMessage,
    [property: Id(6)] string Worker)
{
    public static WorkResult From(string id, MeasureResult result, string worker) =>
        new(id, [.. result.Costs], (int)result.ErrorNo, result.AllCost, result.Timestamp, result.ErrorMessage, worker);

    public MeasureResult ToResult() => new(Costs, (MeasureErrorNo)ErrorNo, AllCost, Timestamp, ErrorMessage);
}
