using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Providers;
using Switchboard.Providers.Azure;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Azure;

/// <summary>Azure OpenAI: OpenAI's wire format at Azure's URLs with its <c>api-key</c>, against a fake Azure resource.</summary>
public sealed class AzureOpenAIAdapterTests : IAsyncLifetime
{
    private const string Key = "azure-key-0123456789";

    // A content filter refusal carrying only the inner code, as some API versions send it.
    private const string ContentFilterInnerOnly =
        """{"error":{"message":"The response was filtered.","code":"400","innererror":{"code":"ResponsibleAIPolicyViolation"}}}""";

    private FakeAzureUpstream _azure = null!;

    public async Task InitializeAsync() => _azure = await FakeAzureUpstream.StartAsync();

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Theory]
    [InlineData(null, "gpt-4o", "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21")]
    [InlineData("2025-04-01-preview", "gpt-4o", "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2025-04-01-preview")]
    [InlineData(null, "my deployment", "https://res.openai.azure.com/openai/deployments/my%20deployment/chat/completions?api-version=2024-10-21")]
    [InlineData("v1", "gpt-4o", "https://res.openai.azure.com/openai/v1/chat/completions")]
    public void The_deployment_is_in_the_path_and_the_version_in_the_query(string? version, string deployment, string url)
    {
        new AzureOpenAIAdapter(version).Endpoint(new Uri("https://res.openai.azure.com/"), deployment).ShouldBe(new Uri(url));
    }

    [Fact]
    public void The_registry_gives_azure_its_adapter_with_the_configured_version()
    {
        using var runtime = TestRuntime.Create("""
            providers:
              azure: { api_version: 2025-04-01-preview }
              azure-eu: { type: azure, base_url: "https://eu.openai.azure.com", api_key: env:EU_KEY }
            """, new Dictionary<string, string?> { ["AZURE_OPENAI_API_KEY"] = Key, ["AZURE_OPENAI_ENDPOINT"] = "https://res.openai.azure.com/", ["EU_KEY"] = "eu" });

        var azure = runtime.Providers.Find("azure")!;
        azure.Adapter.ShouldBeOfType<AzureOpenAIAdapter>().ApiVersion.ShouldBe("2025-04-01-preview");
        azure.Adapter!.Dialect.ShouldBe(WireDialect.OpenAI);
        azure.BaseUrl.ShouldBe(new Uri("https://res.openai.azure.com"));
        azure.IsEnabled.ShouldBeTrue();
        runtime.Providers.Find("azure-eu")!.Adapter.ShouldBeOfType<AzureOpenAIAdapter>().ApiVersion.ShouldBe(AzureOpenAIAdapter.DefaultApiVersion);
    }

    [Fact]
    public async Task A_call_goes_to_the_deployment_with_api_version_and_api_key_and_passes_through()
    {
        using var runtime = Runtime();

        var completion = await new SwitchboardClient(runtime).CompleteAsync(new ChatRequest { Model = "azure/gpt-4o-mini", Messages = [ChatMessage.User("Hello!")] });

        completion.Response.Choices[0].Message.Content!.Text.ShouldBe(FakeOpenAIUpstream.CompletionText);
        completion.Usage!.Value.CachedInput.ShouldBe(FakeOpenAIUpstream.CachedTokens);
        var sent = _azure.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/openai/deployments/gpt-4o-mini/chat/completions");
        sent.Query.ShouldBe("?api-version=2024-10-21");
        sent.Headers["api-key"].ShouldBe(Key);
        sent.Headers.ContainsKey("authorization").ShouldBeFalse();
        sent.BodyText.ShouldBe("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}""");
    }

    [Fact]
    public async Task A_stream_is_relayed_as_openai_chunks()
    {
        using var runtime = Runtime();

        await using var stream = await new SwitchboardClient(runtime).StreamAsync(new ChatRequest { Model = "azure/gpt-4o-mini", Messages = [ChatMessage.User("Hello!")] });
        var text = new StringBuilder();
        await foreach (var chunk in stream.ReadAsync())
        {
            foreach (var choice in chunk.Choices) text.Append(choice.Delta.Content);
        }

        text.ToString().ShouldBe(FakeOpenAIUpstream.StreamText);
        stream.Usage!.Value.Input.ShouldBe(FakeOpenAIUpstream.PromptTokens);
        _azure.Requests.ShouldHaveSingleItem().Headers["accept"].ShouldBe("text/event-stream");
    }

    [Fact]
    public async Task Api_version_v1_calls_the_versionless_api()
    {
        using var runtime = Runtime("providers: { azure: { api_version: v1 } }");

        await new SwitchboardClient(runtime).CompleteAsync(new ChatRequest { Model = "azure/prod-gpt-4o", Messages = [ChatMessage.User("Hi")] });

        var sent = _azure.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/openai/v1/chat/completions");
        sent.Query.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_content_filter_is_a_content_policy_error_with_azures_message()
    {
        using var runtime = Runtime();
        _azure.Enqueue(UpstreamFault.Status(400, body: FakeAzureUpstream.ContentFilterError));

        var error = await Should.ThrowAsync<SwitchboardException>(() =>
            new SwitchboardClient(runtime).CompleteAsync(new ChatRequest { Model = "azure/gpt-4o-mini", Messages = [ChatMessage.User("...")] }));

        error.Category.ShouldBe(ErrorCategory.ContentPolicy);
        error.StatusCode.ShouldBe(400);
        error.Code.ShouldBe("content_filter");
        error.Message.ShouldStartWith("The response was filtered due to the prompt triggering Azure OpenAI's content management policy.");
    }

    [Fact]
    public async Task Azures_own_errors_are_classified()
    {
        using var runtime = Runtime("resilience: { retries: 0 }");
        var client = new SwitchboardClient(runtime);

        var missing = await Should.ThrowAsync<SwitchboardException>(() => client.CompleteAsync(new ChatRequest { Model = "azure/no-such-deployment", Messages = [ChatMessage.User("Hi")] }));
        missing.Category.ShouldBe(ErrorCategory.NotFound);
        missing.Code.ShouldBe("DeploymentNotFound");

        _azure.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(6)));
        var limited = await Should.ThrowAsync<SwitchboardException>(() => client.CompleteAsync(new ChatRequest { Model = "azure/gpt-4o-mini", Messages = [ChatMessage.User("Hi")] }));
        limited.Category.ShouldBe(ErrorCategory.RateLimited);
        limited.RetryAfter.ShouldBe(TimeSpan.FromSeconds(6));

        _azure.Enqueue(UpstreamFault.Status(401));
        var refused = await Should.ThrowAsync<SwitchboardException>(() => client.CompleteAsync(new ChatRequest { Model = "azure/gpt-4o-mini", Messages = [ChatMessage.User("Hi")] }));
        refused.Category.ShouldBe(ErrorCategory.Authentication);
        refused.Message.ShouldStartWith("Access denied due to invalid subscription key");
    }

    [Theory]
    [InlineData(400, ContentFilterInnerOnly, ErrorCategory.ContentPolicy)]
    [InlineData(400, """{"error":{"message":"This model's maximum context length is 128000 tokens.","code":"context_length_exceeded"}}""", ErrorCategory.ContextWindowExceeded)]
    [InlineData(400, """{"error":{"message":"Invalid value for 'temperature'.","code":"invalid_value"}}""", ErrorCategory.BadRequest)]
    [InlineData(404, """{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}""", ErrorCategory.NotFound)]
    [InlineData(500, """{"error":{"code":"InternalServerError","message":"The server had an error."}}""", ErrorCategory.Unavailable)]
    public void Errors_are_classified_as_openais_with_azures_content_filter(int status, string body, ErrorCategory category)
    {
        new AzureOpenAIAdapter().Classify(status, Encoding.UTF8.GetBytes(body)).ShouldBe(category);
    }

    [Fact]
    public void Without_an_endpoint_the_call_fails_before_it_is_made_naming_the_variable()
    {
        using var runtime = TestRuntime.Create("", new Dictionary<string, string?> { ["AZURE_OPENAI_API_KEY"] = Key });

        var error = Should.Throw<SwitchboardException>(() => runtime.Providers.Find("azure")!.EnsureCallable("gpt-4o"));

        error.Message.ShouldContain("AZURE_OPENAI_ENDPOINT");
    }

    [Theory]
    [InlineData("providers: { openai: { api_version: 2024-10-21 } }", "switchboard.yaml:1:37: providers.openai.api_version applies only to providers of type azure; openai is of type openai.")]
    [InlineData("providers: { azure: { api_version: latest } }", "switchboard.yaml:1:36: providers.azure.api_version must be a dated Azure OpenAI API version such as 2024-10-21 (or 2025-04-01-preview), or v1, not 'latest'.")]
    public void A_wrong_api_version_is_a_config_error_naming_the_line(string yaml, string problem)
    {
        Should.Throw<ConfigException>(() => ConfigLoader.Parse(yaml, "switchboard.yaml", _ => null)).Problems.ShouldContain(problem);
    }

    private SwitchboardRuntime Runtime(string yaml = "") => TestRuntime.Create(yaml, new Dictionary<string, string?>
    {
        ["AZURE_OPENAI_API_KEY"] = Key,
        ["AZURE_OPENAI_ENDPOINT"] = _azure.Endpoint.ToString(),
    });
}
