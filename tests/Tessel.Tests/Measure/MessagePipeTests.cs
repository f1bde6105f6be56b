using System.Buffers.Binary;
using Tessel.Measure;
using Tessel.Measure.Protocol;

namespace Tessel.Tests.Measure;

public sealed class MessagePipeTests
{
    private static LoadTaskRequest Load(int floats)
    {
        var data = Enumerable.Range(0, floats).Select(i => (float)i / 7).ToArray();
        return new LoadTaskRequest("w", MessagePipe.ToBytes(data), MessagePipe.ToBytes(data.Reverse().ToArray()), MessagePipe.ToBytes([1f, -2f]));
    }

    [Fact]
    public async Task Tensors_travel_as_raw_bytes_after_the_json_and_come_back_equal()
    {
        var sent = Load(1 << 20);
        using var stream = new MemoryStream();
        await MessagePipe.WriteAsync(stream, sent);
        // 4 MB of floats twice, raw: base64 would have made the frame a third larger.
        Assert.InRange(stream.Length, 8L << 20, (8L << 20) + 1024);
        stream.Position = 0;
        var back = Assert.IsType<LoadTaskRequest>(MessagePipe.Read(stream));
        Assert.Equal(sent.WorkloadKey, back.WorkloadKey);
        Assert.Equal(sent.Data, back.Data);
        Assert.Equal(sent.Weight, back.Weight);
        Assert.Equal(sent.Expected, back.Expected);
        Assert.Null(MessagePipe.Read(stream));
    }

    [Fact]
    public async Task Messages_without_payload_and_the_blocking_and_async_sides_agree()
    {
        using var stream = new MemoryStream();
        MessagePipe.Write(stream, new MeasureKernelRequest("w", "img", "K_0", RunSpec.From(new MeasureOptions())));
        MessagePipe.Write(stream, new LoadImageRequest("img", [1, 2, 3]));
        stream.Position = 0;
        Assert.Equal("K_0", Assert.IsType<MeasureKernelRequest>(await MessagePipe.ReadAsync(stream)).ClassName);
        Assert.Equal([1, 2, 3], Assert.IsType<LoadImageRequest>(await MessagePipe.ReadAsync(stream)).Image);
    }

    [Fact]
    public void A_frame_cut_short_reads_as_the_end_of_the_stream_and_a_bad_header_is_an_error()
    {
        using var whole = new MemoryStream();
        MessagePipe.Write(whole, Load(1000));
        var bytes = whole.ToArray();
        Assert.Null(MessagePipe.Read(new MemoryStream(bytes[..^100])));

        var badCount = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(badCount.AsSpan(4), 1000);
        Assert.Contains("payload count", Assert.Throws<InvalidDataException>(() => MessagePipe.Read(new MemoryStream(badCount))).Message);

        var wrongCount = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(wrongCount.AsSpan(4), 2);
        Assert.Contains("payload", Assert.Throws<InvalidDataException>(() => MessagePipe.Read(new MemoryStream(wrongCount))).Message);
    }
}
