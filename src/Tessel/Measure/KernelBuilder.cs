using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Compilation;
using Tessel.Workloads;

namespace Tessel.Measure;

/// <summary>Generates each config's kernel source and compiles the whole batch in ONE Roslyn compilation
/// (the compiler drops kernels that fail and compiles the rest again). Per-config failures come back as
/// results; only the caller's cancellation throws.</summary>
public sealed class KernelBuilder
{
    /// <summary>Compiles one real kernel of every template before anything is timed. A trivial class leaves the
    /// compiler's paths through loops, vectors and pointers to be jitted by the first timed batch: in a process
    /// that had compiled nothing, squeezenet1.1's dependents paid 0.18 s a trial in their first batch, 0.08 s after.</summary>
    public static CompiledBatch WarmUp() =>
        RoslynCompiler.Compile(TemplateRegistry.All.Select((template, i) =>
        {
            var task = new TuningTask(template, template.WarmUpWorkload, Target.Host);
            return new KernelSource($"WarmUp{i}", template.EmitKernel(task.Workload, task.DefaultConfig, $"WarmUp{i}"));
        }).ToList());

    public async Task<IReadOnlyList<BuildResult>> BuildAsync(
        IReadOnlyList<MeasureInput> inputs, MeasureOptions options, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (inputs.Count == 0) return [];
        var clock = Stopwatch.StartNew();
        // Roslyn takes no token here, so a build past its timeout is abandoned, not stopped.
        var build = Task.Run(() => Build(inputs), CancellationToken.None);
        try
        {
            return await build.WaitAsync(options.BuildTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var share = clock.Elapsed.TotalSeconds / inputs.Count;
            return inputs.Select(i => new BuildResult(i, null, null, MeasureErrorNo.BuildTimeout,
                $"build did not finish within {options.BuildTimeout.TotalSeconds:G4} s", share)).ToList();
        }
    }

    /// <summary>A class name unique within a batch: the input's position and a hash of its workload and config.</summary>
    public static string ClassName(int position, MeasureInput input)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input.Task.Workload.Key + "#" + input.Config.Index));
        return $"K_{position}_{Convert.ToHexString(hash, 0, 4)}";
    }

    private static List<BuildResult> Build(IReadOnlyList<MeasureInput> inputs)
    {
        var emitSeconds = new double[inputs.Count];
        var errors = new string?[inputs.Count];
        var names = new string[inputs.Count];
        var sources = new List<KernelSource>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            names[i] = ClassName(i, input);
            var clock = Stopwatch.StartNew();
            try
            {
                sources.Add(new KernelSource(names[i], input.Task.Template.EmitKernel(input.Task.Workload, input.Config, names[i])));
            }
            catch (Exception e)
            {
                errors[i] = $"{input.Task.Name} config {input.Config.Index}: {e.GetType().Name}: {e.Message}";
            }
            emitSeconds[i] = clock.Elapsed.TotalSeconds;
        }

        CompiledBatch? batch = sources.Count > 0 ? RoslynCompiler.Compile(sources) : null;
        var image = batch?.Image is { } bytes ? new KernelImage(bytes) : null;
        var compileShare = batch is null ? 0 : batch.Elapsed.TotalSeconds / sources.Count;

        var results = new List<BuildResult>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (errors[i] is { } instantiation)
            {
                results.Add(new BuildResult(inputs[i], null, null, MeasureErrorNo.InstantiationError, instantiation, emitSeconds[i]));
                continue;
            }
            var seconds = emitSeconds[i] + compileShare;
            if (batch!.Errors.TryGetValue(names[i], out var compileError) || image is null)
                results.Add(new BuildResult(inputs[i], null, null, MeasureErrorNo.CompileHost,
                    compileError ?? "the batch produced no image", seconds));
            else
                results.Add(new BuildResult(inputs[i], image, names[i], MeasureErrorNo.NoError, null, seconds) { EmitSeconds = emitSeconds[i] });
        }
        return results;
    }
}
