using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>JSON and <c>text/event-stream</c> framing shared by the dialects that speak SSE.</summary>
internal static class ServerSentEvents
{
    public const string ContentType = "text/event-stream; charset=utf-8";

    // Providers escape quotes as \" and leave '+', '<', '&' alone; the default encoder would write
    // \u0022 and friends, which is valid JSON but not what the documented payloads look like.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON document written by <paramref name="write"/>.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One <c>data: {json}\n\n</c> event.</summary>
    public static ReadOnlyMemory<byte> DataEvent(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenMemory;
    }
}
