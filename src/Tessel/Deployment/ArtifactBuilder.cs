using System.Reflection;
using System.Security.Cryptography;
using Tessel.Planning;
using Tessel.Runtime.Artifacts;
using Tessel.Runtime.Plans;

namespace Tessel.Deployment;

/// <summary>Writes a compiled model out as an artifact directory that <see cref="Runtime.TesselModel"/> loads: the
/// kernels' assembly and their C# source, the plan, the weights in one file (each kernel's as it packed it), and the manifest, written last (and the
/// old one removed first), so a directory with a manifest always holds a whole artifact.</summary>
public static class ArtifactBuilder
{
    /// <param name="source">the model's path, or <c>zoo:NAME</c></param>
    public static ArtifactManifest Write(CompiledModel model, string source, string directory)
    {
        if (File.Exists(directory)) throw new IOException($"{directory} is a file: an artifact is a directory");
        Directory.CreateDirectory(directory);
        var manifestPath = Path.Combine(directory, ArtifactFiles.Manifest);
        File.Delete(manifestPath);
        var compiled = model.Compiled;
        // Each kernel's weight is stored as the kernel packed it: a load maps it and skips the packing.
        var packed = compiled.Kernels.Select((kernel, i) => (Name: $"K{i}:packed", Values: kernel.Packed.ToArray())).ToList();
        var spec = compiled.Spec with { Kernels = compiled.Spec.Kernels.Select((k, i) => k with { Weight = packed[i].Name, Packed = true }).ToArray() };
        var packedByName = packed.ToDictionary(p => p.Name, p => p.Values, StringComparer.Ordinal);

        var sources = Path.Combine(directory, ArtifactFiles.KernelSources);
        if (Directory.Exists(sources)) Directory.Delete(sources, recursive: true);
        Directory.CreateDirectory(sources);
        // Kernels are compiled with nullable analysis off; an app compiling them in (NativeAOT) may have it on.
        foreach (var kernel in compiled.Sources) File.WriteAllText(Path.Combine(sources, kernel.ClassName + ".cs"), "#nullable disable\n" + kernel.Source);
        File.WriteAllText(Path.Combine(sources, KernelFactoryFile), KernelFactory(compiled.Sources.Select(k => k.ClassName)));
        var assembly = compiled.Image is { } image ? ArtifactFiles.Write(directory, ArtifactFiles.KernelAssembly, image) : null;
        if (assembly is null) File.Delete(Path.Combine(directory, ArtifactFiles.KernelAssembly));

        var constants = ConstantNames(spec).Select(name => (name, packedByName.GetValueOrDefault(name) ?? compiled.Constant(name)
            ?? throw new InvalidOperationException($"{spec.Model}: the plan names constant '{name}' that the compiler does not hold")));
        var weights = WeightsFile.Write(Path.Combine(directory, ArtifactFiles.Weights), ArtifactFiles.Weights, constants);
        var plan = ArtifactFiles.Write(directory, ArtifactFiles.Plan, ArtifactFiles.ToJson(spec));

        var manifest = new ArtifactManifest(ArtifactManifest.CurrentFormat, Version, spec.Model, new SourceModel(source, SourceHash(source)),
            spec.Inputs, spec.Outputs, Features(compiled), spec.Threads, model.Policy, HostCpu.Describe(), spec.Kernels, plan, assembly, weights);
        File.WriteAllBytes(manifestPath, ArtifactFiles.ToJson(manifest));
        return manifest;
    }

    /// <summary>The file beside the kernels' sources that creates them by name, for an app that compiles them in.</summary>
    public const string KernelFactoryFile = "KernelFactory.cs";

    /// <summary><c>TesselArtifact.KernelFactory.Create(name)</c>: what <see cref="Runtime.TesselOptions.Kernels"/> takes where
    /// no assembly can be loaded at run time (NativeAOT), written without reflection so the trimmer keeps every kernel.</summary>
    private static string KernelFactory(IEnumerable<string> classes) => $$"""
        // Written by `tessel build`: creates this artifact's kernels by class name, for an app that compiles the kernels in.
        namespace TesselArtifact;

        public static class KernelFactory
        {
            public static {{typeof(Kernels.IKernel).FullName}} Create(string name) => name switch
            {
        {{string.Concat(classes.Select(c => $"        \"{c}\" => new global::{c}(),\n"))}}        _ => throw new System.ArgumentException("this artifact has no kernel named " + name, nameof(name)),
            };
        }

        """;

    /// <summary>Every constant a plan names: each kernel's weight and fused bias, and whatever a step reads that is
    /// not one of its buffers (a plain op's weights, a kernel step's bias), in the plan's order.</summary>
    public static IReadOnlyList<string> ConstantNames(PlanSpec plan)
    {
        IEnumerable<string> Reads(StepSpec step) => step switch
        {
            KernelStepSpec k => [k.Input, .. k.Bias is null ? Array.Empty<string>() : [k.Bias]],
            AddStepSpec a => [a.A, a.B],
            LayoutStepSpec l => [l.Source],
            ChannelAffineStepSpec c => [c.Input, c.Scale, c.Shift],
            OperatorStepSpec o => o.Node.Inputs,
            _ => [],
        };
        return plan.Kernels.SelectMany(k => k.FusedBias is null ? [k.Weight] : new[] { k.Weight, k.FusedBias })
            .Concat(plan.Steps.SelectMany(Reads)).Concat(plan.Outputs.Select(o => o.Name))
            .Where(name => name.Length > 0 && !plan.Buffers.ContainsKey(name))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The CPU features the kernels check for before they run vector code (their scaffold's test of
    /// <c>Vector256</c> or <c>Vector512</c>), and FMA where they call it.</summary>
    private static string[] Features(CompiledPlan compiled)
    {
        var text = compiled.Sources.Select(s => s.Source).ToList();
        var features = new List<string>();
        if (text.Any(t => t.Contains("Vector256", StringComparison.Ordinal))) features.Add("avx2");
        if (text.Any(t => t.Contains("Fma.MultiplyAdd", StringComparison.Ordinal))) features.Add("fma");
        if (text.Any(t => t.Contains("Vector512", StringComparison.Ordinal))) features.Add("avx512");
        return features.ToArray();
    }

    private static string? SourceHash(string source) =>
        File.Exists(source) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source))) : null;

    private static string Version =>
        typeof(ArtifactBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";
}
