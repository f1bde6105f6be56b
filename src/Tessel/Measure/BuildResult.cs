namespace Tessel.Measure;

/// <summary>The builder's outcome for one input: the batch's image and this config's class in it, or an
/// error (<see cref="MeasureErrorNo.InstantiationError"/>, <see cref="MeasureErrorNo.CompileHost"/>,
/// <see cref="MeasureErrorNo.BuildTimeout"/>). <see cref="BuildSeconds"/> is this config's share of the
/// build's wall time.</summary>
public sealed record BuildResult(
    MeasureInput Input,
    KernelImage? Image,
    string? ClassName,
    MeasureErrorNo ErrorNo,
    string? ErrorMessage,
    double BuildSeconds)
{
    /// <summary>The part of <see cref="BuildSeconds"/> spent emitting this config's source (the rest is its share of the compilation).</summary>
    public double EmitSeconds { get; init; }

    public bool Succeeded => ErrorNo == MeasureErrorNo.NoError && Image is not null && ClassName is not null;

    /// <summary>The measure result of a config that failed to build.</summary>
    public MeasureResult ToFailure() =>
        MeasureResult.Error(ErrorNo, ErrorMessage ?? ErrorNo.ToString(), BuildSeconds);
}
