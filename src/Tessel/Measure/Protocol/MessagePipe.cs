using System.Buffers.Binary;
using System.Text.Json;

namespace Tessel.Measure.Protocol;

/// <summary>Length-prefixed JSON messages over a byte stream: a 4-byte little-endian length, then that
/// many bytes of UTF-8 JSON of a <see cref="WorkerMessage"/> (its type in <c>$type</c>).</summary>
public static class MessagePipe
{
    /// <summary>Largest message accepted (task tensors of big convolutions included).</summary>
    public const int MaxMessageBytes = 1 << 30;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async ValueTask WriteAsync(Stream stream, WorkerMessage message, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next message, or null at the end of the stream (the other side closed or died).</summary>
    public static async ValueTask<WorkerMessage?> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var header = new byte[4];
        var got = await stream.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < 4) throw new EndOfStreamException("message header cut short");
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length <= 0 || length > MaxMessageBytes) throw new InvalidDataException($"bad message length {length}");
        var body = new byte[length];
        got = await stream.ReadAtLeastAsync(body, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got < length) return null;
        return JsonSerializer.Deserialize<WorkerMessage>(body, Json) ?? throw new InvalidDataException("empty message");
    }

    /// <summary>Blocking write, for the worker's single measuring thread.</summary>
    public static void Write(Stream stream, WorkerMessage message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        stream.Write(header);
        stream.Write(body);
        stream.Flush();
    }

    /// <summary>Blocking read; null at the end of the stream.</summary>
    public static WorkerMessage? Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[4];
        var got = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < 4) throw new EndOfStreamException("message header cut short");
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length <= 0 || length > MaxMessageBytes) throw new InvalidDataException($"bad message length {length}");
        var body = new byte[length];
        got = stream.ReadAtLeast(body, length, throwOnEndOfStream: false);
        if (got < length) return null;
        return JsonSerializer.Deserialize<WorkerMessage>(body, Json) ?? throw new InvalidDataException("empty message");
    }

    /// <summary>Float tensors travel as their raw little-endian bytes.</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray();

    public static float[] ToFloats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
