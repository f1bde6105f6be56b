using Tessel.Kernels;
using Tessel.KernelRuntime;
using Tessel.Layouts;

namespace Tessel.Templates.Scaffold;

/// <summary>The full names of the types emitted kernels call, taken from the types themselves: a kernel's text
/// names them, and a rename must follow at build time, not surface as every kernel failing in Roslyn.</summary>
public static class RuntimeNames
{
    public static string Kernel { get; } = typeof(IKernel).FullName!;

    public static string WorkPool { get; } = typeof(WorkPool).FullName!;

    public static string PinnedArrays { get; } = typeof(PinnedArrays).FullName!;

    public static string KernelLayout { get; } = typeof(KernelLayout).FullName!;

    public static string ScalarKernels { get; } = typeof(ScalarKernels).FullName!;

    public static string ConvShape { get; } = typeof(ConvShape).FullName!;

    public static string ConvTransposeShape { get; } = typeof(ConvTransposeShape).FullName!;

    public static string WinogradMatrices { get; } = typeof(WinogradMatrices).FullName!;
}
