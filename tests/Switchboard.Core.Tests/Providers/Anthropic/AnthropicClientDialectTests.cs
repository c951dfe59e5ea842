using System.Buffers;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicClientDialectTests
{
    private static readonly AnthropicClientDialect Dialect = AnthropicClientDialect.Instance;

    [Fact]
    public void Speaks_the_anthropic_dialect()
    {
        Dialect.Dialect.ShouldBe(WireDialect.Anthropic);
    }

    [Fact]
    public void Reading_a_whole_message_proves_it_well_formed_and_gives_its_usage()
    {
        Dialect.ReadUsage("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":25,"cache_creation_input_tokens":30,"cache_read_input_tokens":100,"output_tokens":15}}
            """u8).ShouldBe(new TokenUsage(155, 15, CachedInput: 100, CacheWrite: 30));

        Dialect.ReadUsage("""{"id":"m","content":[]}"""u8).ShouldBeNull();
        Should.Throw<JsonException>(() => Dialect.ReadUsage("""{"id":"m","content":["""u8));
        Should.Throw<JsonException>(() => Dialect.ReadUsage("""{"type":"error","error":{"type":"api_error","message":"x"}}"""u8));
    }

    [Theory]
    [InlineData(ErrorCategory.BadRequest, 400, "invalid_request_error")]
    [InlineData(ErrorCategory.ContextWindowExceeded, 400, "invalid_request_error")]
    [InlineData(ErrorCategory.ContentPolicy, 400, "invalid_request_error")]
    [InlineData(ErrorCategory.BadRequest, 413, "request_too_large")]
    [InlineData(ErrorCategory.Authentication, 401, "authentication_error")]
    [InlineData(ErrorCategory.Authentication, 402, "billing_error")]
    [InlineData(ErrorCategory.Authentication, 403, "permission_error")]
    [InlineData(ErrorCategory.NotFound, 404, "not_found_error")]
    [InlineData(ErrorCategory.RateLimited, 429, "rate_limit_error")]
    [InlineData(ErrorCategory.Timeout, 504, "timeout_error")]
    [InlineData(ErrorCategory.Unavailable, 529, "overloaded_error")]
    [InlineData(ErrorCategory.Unavailable, 503, "overloaded_error")]
    [InlineData(ErrorCategory.Unavailable, 500, "api_error")]
    [InlineData(ErrorCategory.Unavailable, 502, "api_error")]
    public void Errors_are_written_in_anthropics_shape_with_the_type_for_their_category(ErrorCategory category, int status, string type)
    {
        var output = new ArrayBufferWriter<byte>();

        Dialect.WriteError(new SwitchboardException(category, status, "Anthropic's \"message\" here"), output);

        Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe("""{"type":"error","error":{"type":""" + "\"" + type + "\"" + ""","message":"Anthropic's \"message\" here"}}""");
    }

    [Fact]
    public void An_error_in_a_started_stream_is_an_error_event()
    {
        var output = new ArrayBufferWriter<byte>();

        Dialect.WriteErrorEvent(new SwitchboardException(ErrorCategory.Unavailable, 502, "Anthropic sent a malformed response."), output);

        Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Anthropic sent a malformed response.\"}}\n\n");
    }

    private static int CountTokens(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        AnthropicClientDialect.CountTokens(Encoding.UTF8.GetBytes(body), output);
        using var json = JsonDocument.Parse(output.WrittenMemory);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["input_tokens"]);
        return json.RootElement.GetProperty("input_tokens").GetInt32();
    }

    [Fact]
    public void Count_tokens_estimates_four_bytes_a_token_plus_a_little_a_message()
    {
        // 40 bytes of text: 10 tokens, and 4 for the message.
        CountTokens("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello, world. This is forty bytes long!!"}]}""")
            .ShouldBe((4 + 4 + 7 + 40 + 3) / 4 + 4);
    }

    [Fact]
    public void Count_tokens_grows_with_the_system_prompt_and_tools_and_counts_images_at_a_flat_rate()
    {
        const string plain = """{"model":"m","messages":[{"role":"user","content":"Hi"}]}""";
        var withSystem = CountTokens("""{"model":"m","system":"You are a helpful assistant who answers in French.","messages":[{"role":"user","content":"Hi"}]}""");
        var withTools = CountTokens("""{"model":"m","tools":[{"name":"get_weather","description":"Get the current weather in a given location","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}],"messages":[{"role":"user","content":"Hi"}]}""");
        var image = new string('A', 40_000);
        var withImage = CountTokens("""{"model":"m","messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":""" + "\"" + image + "\"}}]}]}");

        withSystem.ShouldBeGreaterThan(CountTokens(plain) + 10);
        withTools.ShouldBeGreaterThan(CountTokens(plain) + 20);
        withImage.ShouldBeInRange(AnthropicTokenEstimator.PerMedia, AnthropicTokenEstimator.PerMedia + 20);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"messages":[]}""", "'model' is required")]
    [InlineData("""{"model":"m"}""", "'messages' is required")]
    [InlineData("""{"model":"m","messages":"hi"}""", "'messages' must be an array")]
    public void Count_tokens_refuses_what_is_not_a_request(string body, string message)
    {
        var error = Should.Throw<SwitchboardException>(() => CountTokens(body));

        error.StatusCode.ShouldBe(400);
        error.Message.ShouldContain(message);
    }
}
