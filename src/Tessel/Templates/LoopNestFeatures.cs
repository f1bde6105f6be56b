namespace Tessel.Templates;

/// <summary>What a config's generated loop nest looks like to the hardware, as far as a template can tell
/// without building it: the features a cost model needs beyond raw knob values (AutoTVM's itervar and
/// curve features play this role; Tessel's templates know their nests, so they say it directly).</summary>
/// <param name="VectorLanes">floats per vector register</param>
/// <param name="Accumulators">vector registers the register tile keeps live</param>
/// <param name="Registers">vector registers the ISA has (16 ymm or 32 zmm): accumulators beyond it spill</param>
/// <param name="FmasPerLoad">multiply-adds per load or broadcast in the innermost step (register reuse)</param>
/// <param name="InnermostStride">elements between consecutive vector loads of the streamed operand</param>
/// <param name="BlockBytes">bytes one cache block of the nest touches (weights chunk, input rows, outputs)</param>
/// <param name="Intensity">flops per byte touched by that block (an arithmetic-intensity estimate)</param>
/// <param name="ParallelExtent">independent work items the parallel loop hands out</param>
/// <param name="LaneUse">useful lanes over lanes computed (remainder and padding waste)</param>
public sealed record LoopNestFeatures(
    int VectorLanes, int Accumulators, int Registers, double FmasPerLoad, double InnermostStride,
    double BlockBytes, double Intensity, double ParallelExtent, double LaneUse)
{
    /// <summary>Feature names, in the order of <see cref="Values"/>.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "nest.lanes", "nest.accumulators", "nest.register_pressure", "nest.fmas_per_load", "nest.stride",
        "nest.log2_block_bytes", "nest.intensity", "nest.log2_parallel", "nest.lane_use",
    ];

    public IEnumerable<double> Values =>
    [
        VectorLanes, Accumulators, (double)Accumulators / Registers, FmasPerLoad, InnermostStride,
        Math.Log2(Math.Max(1, BlockBytes)), Intensity, Math.Log2(Math.Max(1, ParallelExtent)), LaneUse,
    ];
}
