using System.Buffers.Binary;
using System.Text.Json;

namespace Tessel.Measure.Protocol;

/// <summary>Framed messages over a byte stream: a header of two little-endian int32 — the JSON length and
/// the payload count —, the UTF-8 JSON of a <see cref="WorkerMessage"/> (its type in <c>$type</c>), then each
/// payload array of an <see cref="IWithPayload"/> message as an int32 length and its raw bytes. Tensors
/// travel raw: as base64 inside the JSON they moved at about 15 MB/s (27 s for VGG's dense weights).</summary>
public static class MessagePipe
{
    /// <summary>Largest JSON part accepted (payloads aside, messages are small).</summary>
    public const int MaxJsonBytes = 1 << 24;

    /// <summary>Most payload arrays one message may carry.</summary>
    public const int MaxPayloads = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async ValueTask WriteAsync(Stream stream, WorkerMessage message, CancellationToken cancellationToken = default)
    {
        var (head, payload) = Encode(message);
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        foreach (var array in payload)
        {
            await stream.WriteAsync(Length(array), cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(array, cancellationToken).ConfigureAwait(false);
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next message, or null at the end of the stream (the other side closed or died).</summary>
    public static async ValueTask<WorkerMessage?> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var header = new byte[8];
        var got = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < header.Length) throw new EndOfStreamException("message header cut short");
        var (jsonLength, count) = Header(header);
        var body = new byte[jsonLength];
        if (await stream.ReadAtLeastAsync(body, jsonLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < jsonLength) return null;
        var payload = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var prefix = new byte[4];
            if (await stream.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < 4) return null;
            payload[i] = new byte[PayloadLength(prefix)];
            if (await stream.ReadAtLeastAsync(payload[i], payload[i].Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < payload[i].Length)
                return null;
        }
        return Decode(body, payload);
    }

    /// <summary>Blocking write, for the worker's single measuring thread.</summary>
    public static void Write(Stream stream, WorkerMessage message)
    {
        var (head, payload) = Encode(message);
        stream.Write(head);
        foreach (var array in payload)
        {
            stream.Write(Length(array));
            stream.Write(array);
        }
        stream.Flush();
    }

    /// <summary>Blocking read; null at the end of the stream.</summary>
    public static WorkerMessage? Read(Stream stream)
    {
        var header = new byte[8];
        var got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < header.Length) throw new EndOfStreamException("message header cut short");
        var (jsonLength, count) = Header(header);
        var body = new byte[jsonLength];
        if (stream.ReadAtLeast(body, jsonLength, throwOnEndOfStream: false) < jsonLength) return null;
        var payload = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var prefix = new byte[4];
            if (stream.ReadAtLeast(prefix, 4, throwOnEndOfStream: false) < 4) return null;
            payload[i] = new byte[PayloadLength(prefix)];
            if (stream.ReadAtLeast(payload[i], payload[i].Length, throwOnEndOfStream: false) < payload[i].Length) return null;
        }
        return Decode(body, payload);
    }

    /// <summary>Float tensors travel as their raw little-endian bytes.</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray();

    public static float[] ToFloats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    /// <summary>The header and JSON of a message (its payload arrays emptied), and the arrays to send after it.</summary>
    private static (byte[] Head, IReadOnlyList<byte[]> Payload) Encode(WorkerMessage message)
    {
        IReadOnlyList<byte[]> payload = message is IWithPayload carrier ? carrier.Payload : [];
        var bare = message is IWithPayload c ? c.WithPayload(payload.Select(_ => Array.Empty<byte>()).ToList()) : message;
        var json = JsonSerializer.SerializeToUtf8Bytes(bare, Json);
        var head = new byte[8 + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(head, json.Length);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(4), payload.Count);
        json.CopyTo(head, 8);
        return (head, payload);
    }

    private static WorkerMessage Decode(byte[] json, byte[][] payload)
    {
        var message = JsonSerializer.Deserialize<WorkerMessage>(json, Json) ?? throw new InvalidDataException("empty message");
        if (message is IWithPayload carrier)
        {
            if (carrier.Payload.Count != payload.Length)
                throw new InvalidDataException($"{message.GetType().Name} takes {carrier.Payload.Count} payload arrays, the frame has {payload.Length}");
            return carrier.WithPayload(payload);
        }
        if (payload.Length > 0) throw new InvalidDataException($"{message.GetType().Name} takes no payload, the frame has {payload.Length} arrays");
        return message;
    }

    private static (int JsonLength, int Count) Header(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var count = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (length <= 0 || length > MaxJsonBytes) throw new InvalidDataException($"bad message length {length}");
        if (count < 0 || count > MaxPayloads) throw new InvalidDataException($"bad payload count {count}");
        return (length, count);
    }

    private static int PayloadLength(ReadOnlySpan<byte> prefix)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 0 || length > Array.MaxLength) throw new InvalidDataException($"bad payload length {length}");
        return length;
    }

    private static byte[] Length(byte[] array)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, array.Length);
        return prefix;
    }
}
