using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// The official Anthropic .NET SDK against the gateway's <c>/v1/messages</c> with each provider that does not speak
/// Anthropic's dialect behind it: Gemini, Bedrock, Ollama's native API, Azure OpenAI and a command provider. Every answer
/// is translated into Anthropic's shape, streams included; these tests assert only what the client sees.
/// </summary>
public sealed class AnthropicClientAcrossProvidersTests
{
    private const string SystemPrompt = "Be brief.";
    private const string Question = "Why is the sky blue?";
    private const string ToolResult = "72F and sunny";

    public enum Upstream
    {
        Gemini,
        Bedrock,
        Ollama,
        Azure,
        Command,
    }

    public static TheoryData<Upstream> Every => new() { Upstream.Gemini, Upstream.Bedrock, Upstream.Ollama, Upstream.Azure, Upstream.Command };

    /// <summary>The upstreams that call tools (a command provider's program only answers text), all of which can stream a call.</summary>
    public static TheoryData<Upstream> CallingTools => new() { Upstream.Gemini, Upstream.Bedrock, Upstream.Ollama, Upstream.Azure };

    [Theory]
    [MemberData(nameof(Every))]
    public async Task A_question_with_a_system_prompt_gets_the_providers_text_and_end_turn(Upstream upstream)
    {
        await using var behind = await Behind.StartAsync(upstream);

        var message = await behind.Client().Messages.Create(Ask(behind.Model));

        Text(message).ShouldBe(behind.Text);
        message.StopReason!.Value().ShouldBe(StopReason.EndTurn);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public async Task Streamed_text_arrives_as_text_deltas_and_the_stream_ends_with_message_stop(Upstream upstream)
    {
        await using var behind = await Behind.StartAsync(upstream);

        var streamed = await StreamAsync(behind.Client(), Ask(behind.Model));

        streamed.Text.ShouldBe(behind.StreamText);
        streamed.EventTypes[0].ShouldBe("message_start");
        streamed.EventTypes[^1].ShouldBe("message_stop");
        streamed.EventTypes.Count(e => e == "content_block_start").ShouldBe(1);
        streamed.Message.StopReason!.Value().ShouldBe(StopReason.EndTurn);
    }

    [Theory]
    [MemberData(nameof(CallingTools))]
    public async Task A_tool_call_comes_back_as_tool_use_and_its_result_fed_back_gets_the_providers_answer(Upstream upstream)
    {
        await using var behind = await Behind.StartAsync(upstream);
        var client = behind.Client();
        var ask = Ask(behind.Model) with { Tools = [WeatherTool()] };

        var first = await client.Messages.Create(ask);

        first.StopReason!.Value().ShouldBe(StopReason.ToolUse);
        var toolUse = ToolUses(first).ShouldHaveSingleItem();
        toolUse.Name.ShouldBe(WeatherToolName);
        toolUse.ID.ShouldNotBeNullOrWhiteSpace();
        ShouldBeSameJson(JsonSerializer.Serialize(toolUse.Input), behind.ToolArguments!);

        var second = await client.Messages.Create(ask with
        {
            Messages =
            [
                .. ask.Messages,
                new AssistantMessageParam
                {
                    Content = new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } },
                },
                new UserMessageParam { Content = new List<ContentBlockParam> { new ToolResultBlockParam(toolUse.ID) { Content = ToolResult } } },
            ],
        });

        Text(second).ShouldBe(behind.ToolResultText!(ToolResult));
        second.StopReason!.Value().ShouldBe(StopReason.EndTurn);
    }

    [Theory]
    [MemberData(nameof(CallingTools))]
    public async Task A_streamed_tool_calls_input_arrives_complete_never_as_an_empty_object(Upstream upstream)
    {
        await using var behind = await Behind.StartAsync(upstream);

        var streamed = await StreamAsync(behind.Client(), Ask(behind.Model) with { Tools = [WeatherTool()] });

        streamed.ToolInput.ShouldNotBe("{}");
        ShouldBeSameJson(streamed.ToolInput, behind.ToolArguments!);
        var toolUse = ToolUses(streamed.Message).ShouldHaveSingleItem();
        toolUse.Name.ShouldBe(WeatherToolName);
        ShouldBeSameJson(JsonSerializer.Serialize(toolUse.Input), behind.ToolArguments!);
        streamed.Message.StopReason!.Value().ShouldBe(StopReason.ToolUse);
        streamed.EventTypes[^1].ShouldBe("message_stop");
    }

    [Theory]
    [MemberData(nameof(Every))]
    public async Task Usage_comes_back_split_into_uncached_input_cache_reads_and_writes_whole_and_streamed(Upstream upstream)
    {
        await using var behind = await Behind.StartAsync(upstream);
        var client = behind.Client();

        var whole = await client.Messages.Create(Ask(behind.Model));
        var streamed = await StreamAsync(client, Ask(behind.Model));

        foreach (var usage in new[] { whole.Usage, streamed.Message.Usage })
        {
            usage.InputTokens.ShouldBe(behind.Usage.Input);
            usage.OutputTokens.ShouldBe(behind.Usage.Output);
            usage.CacheReadInputTokens.ShouldBe(behind.Usage.CacheRead);
            usage.CacheCreationInputTokens.ShouldBe(behind.Usage.CacheCreation);
        }
    }

    [Theory]
    [MemberData(nameof(Every))]
    public async Task A_provider_error_reaches_the_sdk_with_its_status_and_message_in_anthropics_shape(Upstream upstream)
    {
        await using var behind = await Behind.StartAsync(upstream);
        behind.Failure.Inject();
        var responses = new LastResponse();

        var error = await Should.ThrowAsync<AnthropicApiException>(() => behind.Client(responses).Messages.Create(Ask(behind.Model)));

        ((int)error.StatusCode).ShouldBe(behind.Failure.Status);
        using var body = JsonDocument.Parse(error.ResponseBody);
        body.RootElement.GetProperty("type").GetString().ShouldBe("error");
        body.RootElement.GetProperty("error").GetProperty("type").GetString().ShouldBe(behind.Failure.Type);
        body.RootElement.GetProperty("error").GetProperty("message").GetString()!.ShouldStartWith(behind.Failure.Message);
        (responses.Headers!.RetryAfter?.Delta).ShouldBe(behind.Failure.RetryAfter, "Retry-After as the provider sent it");
    }

    // ---- helpers ----

    private const string WeatherToolName = "get_weather";

    private static Tool WeatherTool() => new()
    {
        Name = WeatherToolName,
        Description = "Get the current weather in a given location",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["location"] = JsonElement.Parse("""{"type":"string","description":"The city and state, e.g. San Francisco, CA"}""") },
            Required = ["location"],
        },
    };

    private static MessageCreateParams Ask(string model) => new()
    {
        Model = model,
        MaxTokens = 1024,
        System = SystemPrompt,
        Messages = [new UserMessageParam { Content = Question }],
    };

    private static string Text(Message message) => string.Concat(message.Content.Select(b => b.TryPickText(out var text) ? text.Text : ""));

    private static List<ToolUseBlock> ToolUses(Message message) =>
        message.Content.Select(b => b.TryPickToolUse(out var toolUse) ? toolUse : null).OfType<ToolUseBlock>().ToList();

    private static void ShouldBeSameJson(string actual, string expected) =>
        JsonElement.DeepEquals(JsonElement.Parse(actual), JsonElement.Parse(expected)).ShouldBeTrue($"{actual} should be the same JSON as {expected}");

    /// <summary>What a stream brought: its event types in order, the text and tool-input deltas concatenated, and the message they aggregate to.</summary>
    private sealed record Streamed(List<string> EventTypes, string Text, string ToolInput, Message Message);

    private static async Task<Streamed> StreamAsync(AnthropicClient client, MessageCreateParams parameters)
    {
        var events = new List<RawMessageStreamEvent>();
        var text = new StringBuilder();
        var toolInput = new StringBuilder();
        await foreach (var e in client.Messages.CreateStreaming(parameters))
        {
            events.Add(e);
            if (e.TryPickContentBlockDelta(out var delta))
            {
                if (delta.Delta.TryPickText(out var piece)) text.Append(piece.Text);
                if (delta.Delta.TryPickInputJson(out var json)) toolInput.Append(json.PartialJson);
            }
        }
        var message = await events.ToAsyncEnumerable().Aggregate();
        return new Streamed([.. events.Select(e => e.Type.Raw())], text.ToString(), toolInput.ToString(), message);
    }

    /// <summary>Keeps the headers of the last response, since the SDK's exceptions do not carry them.</summary>
    private sealed class LastResponse : DelegatingHandler
    {
        public LastResponse() : base(new SocketsHttpHandler()) { }

        public System.Net.Http.Headers.HttpResponseHeaders? Headers { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Headers = response.Headers;
            return response;
        }
    }

    /// <summary>Anthropic's split of the usage: <c>input_tokens</c> leaves out the cache reads and writes.</summary>
    private sealed record Tokens(long Input, long Output, long CacheRead, long CacheCreation);

    /// <summary>A failure the upstream is made to answer with, and what the client must see of it.</summary>
    private sealed record Failure(Action Inject, int Status, string Type, string Message, TimeSpan? RetryAfter);

    /// <summary>The gateway with one provider behind it, and what that provider's fake answers.</summary>
    private sealed class Behind : IAsyncDisposable
    {
        private static readonly TimeSpan RateLimitWait = TimeSpan.FromSeconds(26);

        private readonly IAsyncDisposable? _fake;
        private readonly CommandScripts? _scripts;

        private Behind(GatewayHost gateway, IAsyncDisposable? fake, CommandScripts? scripts)
        {
            Gateway = gateway;
            _fake = fake;
            _scripts = scripts;
        }

        public GatewayHost Gateway { get; }

        public string Model { get; private init; } = "";

        /// <summary>The whole answer to <see cref="Ask"/>.</summary>
        public string Text { get; private init; } = "";

        /// <summary>The streamed answer to <see cref="Ask"/>.</summary>
        public string StreamText { get; private init; } = "";

        /// <summary>The arguments of the fake's tool call; null where the provider calls no tools.</summary>
        public string? ToolArguments { get; private init; }

        /// <summary>The fake's answer to a tool result.</summary>
        public Func<string, string>? ToolResultText { get; private init; }

        public Tokens Usage { get; private init; } = new(0, 0, 0, 0);

        public Failure Failure { get; private init; } = null!;

        public AnthropicClient Client(LastResponse? responses = null) => new(new ClientOptions
        {
            BaseUrl = Gateway.Url.ToString().TrimEnd('/'),
            ApiKey = "sk-ant-client-not-checked",
            // The SDK retries 429 and 5xx on its own; the gateway's answer must be seen as it is.
            MaxRetries = 0,
            HttpClient = new HttpClient(responses ?? new LastResponse()),
        });

        public static Task<Behind> StartAsync(Upstream upstream) => upstream switch
        {
            Upstream.Gemini => GeminiAsync(),
            Upstream.Bedrock => BedrockAsync(),
            Upstream.Ollama => OllamaAsync(),
            Upstream.Azure => AzureAsync(),
            _ => CommandAsync(),
        };

        private static async Task<Behind> GeminiAsync()
        {
            var gemini = await FakeGeminiUpstream.StartAsync();
            var gateway = await GatewayHost.StartAsync($"providers:\n  google:\n    base_url: {gemini.BaseUrl}\n", env => env["GEMINI_API_KEY"] = "AIza-gateway-test-key");
            return new Behind(gateway, gemini, null)
            {
                Model = "gemini-2.5-flash",
                Text = FakeGeminiUpstream.CompletionText,
                StreamText = FakeGeminiUpstream.StreamText,
                ToolArguments = FakeGeminiUpstream.ToolArguments,
                ToolResultText = FakeGeminiUpstream.ToolResultText,
                Usage = new(
                    FakeGeminiUpstream.PromptTokenCount - FakeGeminiUpstream.CachedContentTokenCount,
                    FakeGeminiUpstream.CandidatesTokenCount + FakeGeminiUpstream.ThoughtsTokenCount,
                    FakeGeminiUpstream.CachedContentTokenCount,
                    0),
                Failure = RateLimited(() => gemini.Enqueue(UpstreamFault.Status(429, RateLimitWait)), FakeGeminiUpstream.RateLimitMessage),
            };
        }

        private static async Task<Behind> BedrockAsync()
        {
            var bedrock = await FakeBedrockUpstream.StartAsync();
            var gateway = await GatewayHost.StartAsync($"providers:\n  bedrock:\n    base_url: {bedrock.BaseUrl}\n", env =>
            {
                foreach (var (name, value) in FakeBedrockUpstream.Environment) env[name] = value;
            });
            return new Behind(gateway, bedrock, null)
            {
                Model = "bedrock/" + FakeBedrockUpstream.ModelId,
                Text = FakeBedrockUpstream.CompletionText,
                StreamText = FakeBedrockUpstream.StreamText,
                ToolArguments = FakeBedrockUpstream.ToolInput,
                ToolResultText = FakeBedrockUpstream.ToolResultText,
                Usage = new(FakeBedrockUpstream.InputTokens, FakeBedrockUpstream.OutputTokens, FakeBedrockUpstream.CacheReadInputTokens, FakeBedrockUpstream.CacheWriteInputTokens),
                Failure = RateLimited(() => bedrock.Enqueue(UpstreamFault.Status(429, RateLimitWait)), "Too many requests, please wait before trying again."),
            };
        }

        private static async Task<Behind> OllamaAsync()
        {
            var ollama = await FakeOllamaUpstream.StartAsync();
            var gateway = await GatewayHost.StartAsync($"providers:\n  local: {{ type: ollama, base_url: \"{ollama.BaseUrl}\", api: native }}\n");
            return new Behind(gateway, ollama, null)
            {
                Model = "local/llama3.2",
                Text = FakeOllamaUpstream.CompletionText,
                StreamText = FakeOllamaUpstream.StreamText,
                ToolArguments = FakeOllamaUpstream.ToolArguments,
                ToolResultText = result => FakeOllamaUpstream.ToolResultTextPrefix + result,
                Usage = new(FakeOllamaUpstream.PromptEvalCount, FakeOllamaUpstream.EvalCount, 0, 0),
                Failure = RateLimited(() => ollama.Enqueue(UpstreamFault.Status(429, RateLimitWait)), "too many requests"),
            };
        }

        private static async Task<Behind> AzureAsync()
        {
            var azure = await FakeAzureUpstream.StartAsync();
            var gateway = await GatewayHost.StartAsync("", env =>
            {
                env["AZURE_OPENAI_API_KEY"] = "azure-gateway-test-key-0123";
                env["AZURE_OPENAI_ENDPOINT"] = azure.Endpoint.ToString();
            });
            return new Behind(gateway, azure, null)
            {
                Model = "azure/gpt-4o-mini",
                Text = FakeOpenAIUpstream.CompletionText,
                StreamText = FakeOpenAIUpstream.StreamText,
                ToolArguments = FakeOpenAIUpstream.ToolArguments,
                ToolResultText = FakeOpenAIUpstream.ToolResultText,
                Usage = new(FakeOpenAIUpstream.PromptTokens - FakeOpenAIUpstream.CachedTokens, FakeOpenAIUpstream.CompletionTokens, FakeOpenAIUpstream.CachedTokens, 0),
                Failure = RateLimited(
                    () => azure.Enqueue(UpstreamFault.Status(429, RateLimitWait)),
                    "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit"),
            };
        }

        /// <summary>
        /// A program that echoes its model and prompt file, or, once the flag file exists, fails as
        /// <see cref="CommandScripts.Fail"/> does: the command provider's way to inject a fault.
        /// </summary>
        private static async Task<Behind> CommandAsync()
        {
            var scripts = new CommandScripts();
            try
            {
                var flag = scripts.PathOf("fail");
                var script = scripts.Write("answer.sh", $"if [ -e \"$3\" ]; then\n{CommandScripts.Fail}\nfi\n{CommandScripts.EchoPromptFile}");
                var gateway = await GatewayHost.StartAsync($"providers:\n  cli: {{ type: command, command: [{script}, \"{{prompt_file}}\", \"{{model}}\", \"{flag}\"] }}\n");
                var answer = $"model=m\n{SystemPrompt}\n\n{Question}";
                var prompt = $"{SystemPrompt}\n\n{Question}";
                return new Behind(gateway, null, scripts)
                {
                    Model = "cli/m",
                    Text = answer,
                    StreamText = answer,
                    Usage = new((prompt.Length + 3) / 4, (answer.Length + 3) / 4, 0, 0),
                    Failure = new(
                        () => File.WriteAllText(flag, ""),
                        502,
                        "api_error",
                        $"'{script}' (providers.cli.command) exited with code 3. The end of its stderr:\nloading model\nerror: model xyz is not available",
                        null),
                };
            }
            catch
            {
                scripts.Dispose();
                throw;
            }
        }

        private static Failure RateLimited(Action inject, string message) => new(inject, 429, "rate_limit_error", message, RateLimitWait);

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            if (_fake is not null) await _fake.DisposeAsync();
            _scripts?.Dispose();
        }
    }
}
