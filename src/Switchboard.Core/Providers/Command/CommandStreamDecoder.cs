using System.Text;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Command;

/// <summary>
/// Turns a command's streamed output into canonical events: each line of stdout a text delta as soon as its newline
/// arrives, then, at the <see cref="CommandTrailer"/> (which only a cleanly exited program gets), the last unfinished
/// line, the finish and the estimated usage. Lines are joined by newlines and the output's final newline is dropped,
/// the same text a whole answer has.
/// </summary>
internal sealed class CommandStreamDecoder : IStreamDecoder
{
    private const int MaxTrailer = 4096;

    private readonly LineSplitter _lines = new();
    private readonly byte[] _id = Encoding.UTF8.GetBytes(CommandAdapter.NewResponseId());
    private byte[] _scratch = new byte[256];
    private byte[] _trailer = [];
    private int _trailerLength;
    private bool _started;
    private bool _inTrailer;
    private int _linesSeen;
    private int _outputChars;

    public bool Completed { get; private set; }

    public string? Malformed { get; private set; }

    public TokenUsage? Usage { get; private set; }

    public void Decode(ReadOnlySpan<byte> bytes, IStreamEventSink sink)
    {
        if (Completed || Malformed is not null) return;
        if (!_started)
        {
            _started = true;
            sink.Write(new StreamEvent { Kind = StreamEventKind.Start, Id = _id });
        }
        if (!_inTrailer)
        {
            var marker = bytes.IndexOf(CommandTrailer.Marker);
            var output = marker < 0 ? bytes : bytes[..marker];
            while (_lines.TryRead(ref output, out var line)) Line(line[..^1], sink);
            if (marker < 0) return;
            if (_lines.Pending > 0)
            {
                // The output's last line had no newline: it is complete now that the program has exited.
                ReadOnlySpan<byte> end = "\n"u8;
                _lines.TryRead(ref end, out var last);
                Line(last[..^1], sink);
            }
            _inTrailer = true;
            bytes = bytes[(marker + 1)..];
        }
        Trailer(bytes, sink);
    }

    public void Dispose() => _lines.Dispose();

    /// <summary>One line without its newline; the newline before it goes out with it, so the text never ends in one.</summary>
    private void Line(ReadOnlySpan<byte> line, IStreamEventSink sink)
    {
        _outputChars += CommandTrailer.Characters(line);
        if (_linesSeen++ == 0)
        {
            if (!line.IsEmpty) sink.Write(new StreamEvent { Kind = StreamEventKind.TextDelta, Text = line });
            return;
        }
        _outputChars++;
        if (_scratch.Length < line.Length + 1) Array.Resize(ref _scratch, Math.Max(line.Length + 1, _scratch.Length * 2));
        _scratch[0] = (byte)'\n';
        line.CopyTo(_scratch.AsSpan(1));
        sink.Write(new StreamEvent { Kind = StreamEventKind.TextDelta, Text = _scratch.AsSpan(0, line.Length + 1) });
    }

    private void Trailer(ReadOnlySpan<byte> bytes, IStreamEventSink sink)
    {
        var newline = bytes.IndexOf((byte)'\n');
        var take = newline < 0 ? bytes : bytes[..newline];
        if (_trailerLength + take.Length > MaxTrailer)
        {
            Malformed = "the command's output ended with a broken end marker";
            return;
        }
        if (_trailer.Length < _trailerLength + take.Length) Array.Resize(ref _trailer, Math.Max(256, (_trailerLength + take.Length) * 2));
        take.CopyTo(_trailer.AsSpan(_trailerLength));
        _trailerLength += take.Length;
        if (newline < 0) return;

        int promptChars;
        try
        {
            promptChars = CommandTrailer.Read(_trailer.AsSpan(0, _trailerLength)).PromptChars;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            Malformed = "the command's output ended with a broken end marker";
            return;
        }
        sink.Write(new StreamEvent { Kind = StreamEventKind.Finish, FinishReason = FinishReasons.Stop });
        var usage = new TokenUsage(CommandTrailer.EstimateTokens(promptChars), CommandTrailer.EstimateTokens(_outputChars));
        Usage = usage;
        sink.Write(new StreamEvent { Kind = StreamEventKind.Usage, Usage = usage });
        Completed = true;
    }
}
