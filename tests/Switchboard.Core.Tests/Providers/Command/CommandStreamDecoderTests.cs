using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Providers.Command;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Command;

/// <summary>A command's output, stdout then the end marker, as stream events and as a whole answer.</summary>
public sealed class CommandStreamDecoderTests
{
    private static readonly byte[] Trailer = CommandTrailer.Create("my-model", promptChars: 10, created: 1751919739);

    [Fact]
    public void Each_line_is_text_and_the_end_marker_finishes_with_estimated_usage()
    {
        var (log, decoder) = Decode(Output("héllo\n\nworld\nlast"));

        log.Lines.ShouldBe(["Start()", "Text(héllo\n\nworld\nlast)", "Finish(stop)", "Usage(3, 5)"]);
        decoder.Completed.ShouldBeTrue();
        decoder.Usage!.Value.Output.ShouldBe(("héllo\n\nworld\nlast".Length + 3) / 4);
    }

    [Fact]
    public void The_final_newline_is_not_part_of_the_answer_streamed_or_whole()
    {
        var output = Output("one\ntwo\n");

        Decode(output).Log.Text.ShouldBe("one\ntwo");
        new CommandAdapter(new() { Name = "cli", Command = ["x"] }).ReadResponse(output).Choices[0].Message.Content!.Text.ShouldBe("one\ntwo");
    }

    [Fact]
    public void Output_split_at_every_byte_decodes_the_same()
    {
        var output = Output("first line\nsecond ünïcode line\nthird");
        var whole = Decode(output).Log.Lines;
        for (var split = 1; split < output.Length; split++)
        {
            var log = new StreamEventLog();
            using var decoder = new CommandStreamDecoder();
            decoder.Decode(output.AsSpan(0, split), log);
            decoder.Decode(output.AsSpan(split), log);
            log.Lines.ShouldBe(whole, $"split at byte {split}");
            decoder.Completed.ShouldBeTrue();
        }
    }

    [Fact]
    public void A_line_goes_out_as_soon_as_its_newline_arrives()
    {
        var log = new StreamEventLog();
        using var decoder = new CommandStreamDecoder();

        decoder.Decode("first line\nsec"u8, log);

        log.Lines.ShouldBe(["Start()", "Text(first line)"]);
        decoder.Completed.ShouldBeFalse();
    }

    [Fact]
    public void Output_without_the_end_marker_is_not_complete()
    {
        var (_, decoder) = Decode("cut short\n"u8.ToArray());

        decoder.Completed.ShouldBeFalse();
        Should.Throw<JsonException>(() => new CommandAdapter(new() { Name = "cli", Command = ["x"] }).ReadResponse("cut short\n"u8));
    }

    [Fact]
    public void A_broken_end_marker_is_malformed()
    {
        var (_, decoder) = Decode([.. "text\n"u8, 0, .. "{not json\n"u8]);

        decoder.Malformed.ShouldNotBeNull();
        decoder.Completed.ShouldBeFalse();
    }

    [Fact]
    public void Nul_bytes_are_removed_from_output()
    {
        byte[] output = [(byte)'a', 0, (byte)'b', 0, 0];

        CommandTrailer.RemoveMarkers(output).ShouldBe(2);
        output[..2].ShouldBe("ab"u8.ToArray());
    }

    private static byte[] Output(string stdout) => [.. Encoding.UTF8.GetBytes(stdout), .. Trailer];

    private static (StreamEventLog Log, CommandStreamDecoder Decoder) Decode(byte[] bytes)
    {
        var log = new StreamEventLog();
        var decoder = new CommandStreamDecoder();
        decoder.Decode(bytes, log);
        return (log, decoder);
    }
}
