using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tessel.Measure.Timing;

namespace Tessel.OnnxRuntime;

/// <summary>An ONNX Runtime session on a model with one float input and float outputs, at a fixed
/// thread count (intra-op threads, sequential execution, all graph optimisations): the reference that
/// Tessel's kernels and models are compared with.</summary>
public sealed class OrtReference : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string[] outputNames;

    public OrtReference(byte[] model, int threads)
    {
        using var options = Options(threads);
        session = new InferenceSession(model, options);
        inputName = session.InputMetadata.Keys.Single();
        outputNames = session.OutputMetadata.Keys.ToArray();
    }

    /// <summary>The session options every comparison uses: <paramref name="threads"/> intra-op threads,
    /// sequential execution, all graph optimisations.</summary>
    internal static SessionOptions Options(int threads)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // With one thread, ORT's own spinning pool would add a second busy thread; turn spinning off.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", threads == 1 ? "0" : "1");
        return options;
    }

    /// <summary>The model's single input's shape, as the model declares it (a symbolic dim reads -1).</summary>
    public int[] InputShape => session.InputMetadata[inputName].Dimensions;

    /// <summary>The model's first output for one input.</summary>
    public float[] Run(float[] data, int[] shape) => RunAll(data, shape)[0];

    /// <summary>Every output of the model, in the model's output order.</summary>
    public float[][] RunAll(float[] data, int[] shape)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape.Select(d => (long)d).ToArray());
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [input], outputNames);
        return outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }

    /// <summary>Times the model with its input and output bound once, so the loop measures the operators,
    /// not allocation, by the <see cref="LatencyProtocol"/>: three warm-up calls, a pilot that fixes the calls per
    /// repeat (at least <paramref name="minRepeatMs"/> each), then <paramref name="repeats"/> repeats.</summary>
    public LatencyStats MeasureLatency(float[] data, int[] shape, double minRepeatMs = 50, int repeats = 7)
    {
        using var bound = Bind(data, shape);
        return LatencyTimer.System.Measure(bound.Calls, new LatencyProtocol(WarmUpCalls: 3, minRepeatMs, repeats));
    }

    /// <summary>Runs of the model with its input and output bound once, as the timing engine calls them.</summary>
    public BoundRuns Bind(float[] data, int[] shape) => new(session, inputName, outputNames, data, shape);

    public sealed class BoundRuns : IDisposable
    {
        private readonly InferenceSession session;
        private readonly OrtValue input;
        private readonly OrtIoBinding binding;
        private readonly RunOptions runOptions = new();

        internal BoundRuns(InferenceSession session, string inputName, string[] outputNames, float[] data, int[] shape)
        {
            this.session = session;
            input = OrtValue.CreateTensorValueFromMemory(data, shape.Select(d => (long)d).ToArray());
            binding = session.CreateIoBinding();
            binding.BindInput(inputName, input);
            foreach (var output in outputNames) binding.BindOutputToDevice(output, OrtMemoryInfo.DefaultInstance);
        }

        public void Calls(long calls)
        {
            for (long i = 0; i < calls; i++) session.RunWithBinding(runOptions, binding);
        }

        public void Dispose()
        {
            runOptions.Dispose();
            binding.Dispose();
            input.Dispose();
        }
    }

    public void Dispose() => session.Dispose();
}
