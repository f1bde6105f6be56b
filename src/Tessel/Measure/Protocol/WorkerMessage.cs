using System.Text.Json.Serialization;

namespace Tessel.Measure.Protocol;

/// <summary>One message between the measuring client and its worker process. Requests flow client ->
/// worker on the worker's stdin, replies worker -> client on its stdout; every request gets exactly one
/// reply, in order. Framing and encoding are <see cref="MessagePipe"/>'s.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(HelloReply), "hello")]
[JsonDerivedType(typeof(LoadTaskRequest), "load_task")]
[JsonDerivedType(typeof(LoadImageRequest), "load_image")]
[JsonDerivedType(typeof(UnloadImageRequest), "unload_image")]
[JsonDerivedType(typeof(MeasureKernelRequest), "measure")]
[JsonDerivedType(typeof(ShutdownRequest), "shutdown")]
[JsonDerivedType(typeof(AckReply), "ack")]
[JsonDerivedType(typeof(KernelResultReply), "result")]
[JsonDerivedType(typeof(FailureReply), "failure")]
public abstract record WorkerMessage;

/// <summary>First message a worker writes, once it is ready to take requests.</summary>
public sealed record HelloReply(int ProcessId, int ProtocolVersion) : WorkerMessage
{
    public const int CurrentVersion = 3;
}

/// <summary>A message with large byte arrays, which <see cref="MessagePipe"/> sends raw after its JSON.</summary>
public interface IWithPayload
{
    /// <summary>The arrays, in a fixed order.</summary>
    IReadOnlyList<byte[]> Payload { get; }

    /// <summary>This message with other arrays, in the same order.</summary>
    WorkerMessage WithPayload(IReadOnlyList<byte[]> payload);
}

/// <summary>The tensors of one task, sent once per worker: float32 data, weight and the expected
/// output the client computed with the template's reference (little-endian bytes).</summary>
public sealed record LoadTaskRequest(string WorkloadKey, byte[] Data, byte[] Weight, byte[] Expected) : WorkerMessage, IWithPayload
{
    [JsonIgnore]
    public IReadOnlyList<byte[]> Payload => [Data, Weight, Expected];

    public WorkerMessage WithPayload(IReadOnlyList<byte[]> payload) => this with { Data = payload[0], Weight = payload[1], Expected = payload[2] };
}

/// <summary>An assembly of compiled kernels; replaces (and unloads) the one loaded before.</summary>
public sealed record LoadImageRequest(string ImageId, byte[] Image) : WorkerMessage, IWithPayload
{
    [JsonIgnore]
    public IReadOnlyList<byte[]> Payload => [Image];

    public WorkerMessage WithPayload(IReadOnlyList<byte[]> payload) => this with { Image = payload[0] };
}

/// <summary>Unloads the current kernel assembly (its load context is collectible).</summary>
public sealed record UnloadImageRequest : WorkerMessage;

/// <summary>Check and time one kernel class of the loaded image on a loaded task.</summary>
public sealed record MeasureKernelRequest(string WorkloadKey, string ImageId, string ClassName, RunSpec Spec) : WorkerMessage;

public sealed record ShutdownRequest : WorkerMessage;

public sealed record AckReply : WorkerMessage;

/// <summary>The outcome of one <see cref="MeasureKernelRequest"/>: per-repeat mean seconds, or an error, and where the
/// worker's time went (absent from a worker that stopped before timing).</summary>
public sealed record KernelResultReply(MeasureErrorNo ErrorNo, double[] Costs, string? Message, long CallsPerRepeat, WorkerStages? Stages = null) : WorkerMessage;

/// <summary>A request the worker could not serve (unknown task or image, bad message): a client bug.</summary>
public sealed record FailureReply(string Message) : WorkerMessage;

/// <summary>The timing protocol as the worker needs it (the part of <see cref="MeasureOptions"/> that runs there).</summary>
public sealed record RunSpec(
    int Number, int Repeat, double MinRepeatMs, int WarmUp, double CooldownMs, int Threads, bool CheckCorrectness, double Tolerance, bool FlushCache = false)
{
    public static RunSpec From(MeasureOptions o) =>
        new(o.Number, o.Repeat, o.MinRepeatMs, o.WarmUp, o.CooldownMs, o.Threads, o.CheckCorrectness, o.Tolerance, o.FlushCache);
}
