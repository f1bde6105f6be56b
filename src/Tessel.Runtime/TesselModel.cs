using System.Diagnostics.CodeAnalysis;
using Tessel.Kernels;
using Tessel.Runtime.Artifacts;
using Tessel.Runtime.Plans;

namespace Tessel.Runtime;

/// <summary>A model tuned and built by Tessel (<c>tessel build</c>), loaded from its artifact directory and ready to
/// run: its kernels are already compiled and its plan already chosen, so loading reads files and prepares weights,
/// the weights file is mapped, not read. Runs are serialised: one model may be called from several threads, one run at a time (each run uses
/// <see cref="Threads"/> threads itself); load one model per thread to run them side by side.</summary>
public sealed class TesselModel : IDisposable
{
    private readonly Lock gate = new();
    private ExecutionPlan? plan;
    private KernelLoadContext? kernels;
    private MappedWeights? weights;

    private TesselModel(ArtifactManifest manifest, ExecutionPlan plan, KernelLoadContext? kernels, MappedWeights weights, int threads)
    {
        Manifest = manifest;
        this.plan = plan;
        this.kernels = kernels;
        this.weights = weights;
        Threads = threads;
    }

    /// <summary>What the artifact says of itself: source model, kernels and their tuned costs, CPU features.</summary>
    public ArtifactManifest Manifest { get; }

    public IReadOnlyList<TensorInfo> Inputs => Manifest.Inputs;

    public IReadOnlyList<TensorInfo> Outputs => Manifest.Outputs;

    /// <summary>The most threads one run uses.</summary>
    public int Threads { get; }

    /// <summary>Loads the artifact in <paramref name="directory"/>. Refused, with nothing left loaded, where a file is
    /// missing (<see cref="FileNotFoundException"/>), a file's length or XXH128 hash is not the manifest's
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
        KernelLoadContext? context = null;
        MappedWeights? weights = null;
        Task<PlanSpec>? planning = null;
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
            // The plan is read and the kernels' code jitted on another core while the weights are mapped and checked:
            // jitting ResNet-50's kernels takes a few hundred ms.
            var loaded = context;
            planning = Task.Run(() =>
            {
                var plan = ArtifactFiles.ReadPlan(dir, manifest.Plan);
                loaded?.Precompile();
                return plan;
            });
            weights = WeightsFile.Map(dir, manifest.Weights);
            var instances = Prepare(manifest.Kernels, weights, create, threads);
            var spec = planning.GetAwaiter().GetResult();
            if (!spec.Kernels.Select(k => k.ClassName).SequenceEqual(manifest.Kernels.Select(k => k.ClassName), StringComparer.Ordinal))
                throw new InvalidDataException($"{dir}: the plan's kernels are not the manifest's");
            // The plain ops' constants (and unfused biases) are copied out: plain ops take arrays.
            var constants = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var mapped = weights;
            float[]? Constant(string name) =>
                constants.TryGetValue(name, out var values) ? values : mapped.Contains(name) ? constants[name] = mapped.Span(name).ToArray() : null;
            var bound = PlanBinder.Bind(spec, Constant, instances, threads, context);
            return new TesselModel(manifest, bound, context, weights, threads);
        }
        catch
        {
            // Wait for the other thread before unloading what it may still be jitting.
            try { planning?.Wait(); } catch (AggregateException) { }
            weights?.Dispose();
            context?.Unload();
            throw;
        }
    }

    /// <summary>Creates each kernel and prepares it: from its packed weight, read in place from the mapped file (an
    /// artifact's), else by packing its weight.</summary>
    private static unsafe IKernel[] Prepare(KernelSpec[] kernels, MappedWeights weights, Func<string, IKernel> create, int threads)
    {
        var instances = new IKernel[kernels.Length];
        for (var i = 0; i < kernels.Length; i++)
        {
            var kernel = kernels[i];
            instances[i] = create(kernel.ClassName);
            if (kernel.Packed) instances[i].PreparePacked(weights.Pointer(kernel.Weight), weights.Length(kernel.Weight), threads);
            else instances[i].Prepare(weights.Span(kernel.Weight), threads);
            if (kernel.FusedBias is { } bias) instances[i].SetBias(weights.Span(bias));
        }
        return instances;
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

    /// <summary>Lets go of the plan's buffers and kernels (their scratch is freed by the next collection), unmaps the
    /// weights and unloads the kernels' assembly; a later run throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            plan = null;
            weights?.Dispose();
            weights = null;
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
