using System.Diagnostics.CodeAnalysis;
using Tessel.Kernels;
using Tessel.Runtime.Artifacts;
using Tessel.Runtime.Plans;

namespace Tessel.Runtime;

/// <summary>A model tuned and built by Tessel (<c>tessel build</c>), loaded from its artifact directory and ready to
/// run: its kernels are already compiled and its plan already chosen, so loading reads files and prepares weights,
/// nothing more. Runs are serialised: one model may be called from several threads, one run at a time (each run uses
/// <see cref="Threads"/> threads itself); load one model per thread to run them side by side.</summary>
public sealed class TesselModel : IDisposable
{
    private readonly Lock gate = new();
    private ExecutionPlan? plan;
    private KernelLoadContext? kernels;

    private TesselModel(ArtifactManifest manifest, ExecutionPlan plan, KernelLoadContext? kernels, int threads)
    {
        Manifest = manifest;
        this.plan = plan;
        this.kernels = kernels;
        Threads = threads;
    }

    /// <summary>What the artifact says of itself: source model, kernels and their tuned costs, CPU features.</summary>
    public ArtifactManifest Manifest { get; }

    public IReadOnlyList<TensorInfo> Inputs => Manifest.Inputs;

    public IReadOnlyList<TensorInfo> Outputs => Manifest.Outputs;

    /// <summary>The most threads one run uses.</summary>
    public int Threads { get; }

    /// <summary>Loads the artifact in <paramref name="directory"/>. Refused, with nothing left loaded, where a file is
    /// missing (<see cref="FileNotFoundException"/>), a file's length or SHA-256 is not the manifest's
    /// (<see cref="InvalidDataException"/>), the format is newer than this runtime (<see cref="NotSupportedException"/>)
    /// or this CPU lacks a feature the kernels use (<see cref="PlatformNotSupportedException"/>).</summary>
    public static TesselModel Load(string directory, TesselOptions? options = null)
    {
        options ??= new TesselOptions();
        var dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such artifact directory (`tessel build` writes one)");
        var manifest = ArtifactFiles.ReadManifest(dir);
        var missing = CpuFeatures.Missing(manifest.CpuFeatures);
        if (missing.Count > 0)
            throw new PlatformNotSupportedException($"{dir}: its kernels need CPU features this machine lacks: {string.Join(", ", missing)} " +
                $"(this machine has {string.Join(", ", CpuFeatures.Host.DefaultIfEmpty("none of them"))}; it was built on {manifest.BuiltOn}). Build it again here.");
        var threads = Math.Max(1, options.Threads ?? manifest.Threads);
        var spec = ArtifactFiles.ReadPlan(dir, manifest.Plan);
        KernelLoadContext? context = null;
        try
        {
            Func<string, IKernel> create;
            if (options.Kernels is { } compiledIn) create = compiledIn;
            else if (manifest.KernelAssembly is { } assembly)
            {
                context = new KernelLoadContext(ArtifactFiles.ReadChecked(dir, assembly));
                create = context.Create;
            }
            else create = name => throw new InvalidDataException($"{dir}: kernel {name} is planned but the manifest names no kernel assembly");
            var (constants, instances) = ReadWeights(dir, manifest, spec, create, threads);
            var bound = PlanBinder.Bind(spec, constants.GetValueOrDefault, instances, threads, context);
            return new TesselModel(manifest, bound, context, threads);
        }
        catch
        {
            context?.Unload();
            throw;
        }
    }

    /// <summary>Reads the weights in one pass, creating each kernel and preparing it (packing its weight into the
    /// kernel's layout) as its weight streams by, so no weight is held twice; the plain ops' constants are kept.</summary>
    private static (Dictionary<string, float[]> Constants, IKernel[] Kernels) ReadWeights(string dir, ArtifactManifest manifest, PlanSpec spec,
        Func<string, IKernel> create, int threads)
    {
        var instances = new IKernel?[spec.Kernels.Length];
        var byName = new Dictionary<string, (int Kernel, bool IsBias)>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Kernels.Length; i++)
        {
            byName[spec.Kernels[i].Weight] = (i, false);
            if (spec.Kernels[i].FusedBias is { } bias) byName[bias] = (i, true);
        }
        var constants = WeightsFile.Read(dir, manifest.Weights, byName.Keys.ToHashSet(StringComparer.Ordinal), (name, values) =>
        {
            var (k, isBias) = byName[name];
            if (!isBias)
            {
                instances[k] = create(spec.Kernels[k].ClassName);
                instances[k]!.Prepare(values, threads);
            }
            else (instances[k] ?? throw new InvalidDataException($"{dir}: the weights file holds kernel {k}'s bias before its weight")).SetBias(values);
        });
        var missing = Array.FindIndex(instances, kernel => kernel is null);
        if (missing >= 0)
            throw new InvalidDataException($"{dir}: the weights file has no tensor '{spec.Kernels[missing].Weight}' (kernel {spec.Kernels[missing].ClassName})");
        return (constants, instances.Select(kernel => kernel!).ToArray());
    }

    /// <summary>Runs the model on its single input and writes its first output.</summary>
    /// <exception cref="ArgumentException">a span's length is not the tensor's</exception>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        if (Inputs.Count != 1) throw new InvalidOperationException($"{Manifest.Model} has {Inputs.Count} inputs: run it with a dictionary");
        CheckLength(Inputs[0], input.Length, nameof(input));
        CheckLength(Outputs[0], output.Length, nameof(output));
        lock (gate)
        {
            var running = Running();
            input.CopyTo(running.Input);
            running.RunSteps();
            running.Output(0).CopyTo(output);
        }
    }

    /// <summary>Runs the model on inputs by name and returns every output by name.</summary>
    /// <exception cref="ArgumentException">an input is missing, unknown, or of the wrong length</exception>
    public Dictionary<string, float[]> Run(IReadOnlyDictionary<string, float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var expected = string.Join(", ", Inputs);
        if (inputs.Keys.FirstOrDefault(name => Inputs.All(i => i.Name != name)) is { } unknown)
            throw new ArgumentException($"{Manifest.Model} has no input '{unknown}'; its inputs: {expected}", nameof(inputs));
        if (Inputs.FirstOrDefault(i => !inputs.ContainsKey(i.Name)) is { } absent)
            throw new ArgumentException($"{Manifest.Model}: input {absent} is missing", nameof(inputs));
        foreach (var input in Inputs) CheckLength(input, inputs[input.Name].Length, nameof(inputs));
        lock (gate)
        {
            var running = Running();
            inputs[Inputs[0].Name].CopyTo(running.Input);
            running.RunSteps();
            return Outputs.Select((o, i) => (o.Name, Values: running.Output(i).ToArray())).ToDictionary(o => o.Name, o => o.Values, StringComparer.Ordinal);
        }
    }

    /// <summary>Per-step times of the plan (see <see cref="ExecutionPlan.ProfileSteps"/>).</summary>
    public IReadOnlyList<StepProfile> ProfileSteps(float[] input, int runs)
    {
        lock (gate) return Running().ProfileSteps(input, runs);
    }

    /// <summary>Lets go of the plan's buffers and kernels (their pinned weights are freed by the next collection) and
    /// unloads the kernels' assembly; a later run throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            plan = null;
            kernels?.Unload();
            kernels = null;
        }
    }

    private ExecutionPlan Running() => plan ?? throw new ObjectDisposedException(nameof(TesselModel), $"{Manifest.Model} was disposed");

    private void CheckLength(TensorInfo tensor, int length, [NotNull] string parameter)
    {
        if (length != tensor.Length)
            throw new ArgumentException($"{Manifest.Model}: {tensor} holds {tensor.Length} values, not {length}", parameter);
    }
}
