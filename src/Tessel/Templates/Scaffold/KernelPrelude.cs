namespace Tessel.Templates.Scaffold;

/// <summary>Text every emitted kernel starts with or shares: its usings and the FMA helper (the fused
/// instruction where the CPU has it, a multiply and an add elsewhere).</summary>
public static class KernelPrelude
{
    public const string Usings = """
        using System;
        using System.Runtime.CompilerServices;
        using System.Runtime.Intrinsics;
        using System.Runtime.Intrinsics.X86;
        using System.Threading.Tasks;
        """;

    public static string FmaHelper(string name) => $$"""
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static Vector256<float> {{name}}(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
                System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c) : a * b + c;

        """;
}
