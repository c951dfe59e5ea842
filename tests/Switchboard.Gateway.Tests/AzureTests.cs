using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using OpenAI;
using OpenAI.Chat;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// Azure OpenAI behind the gateway: the same wire format as OpenAI's, so an OpenAI client's request passes through as
/// bytes with only the model changed, sent to the deployment's URL with <c>api-version</c> and <c>api-key</c>.
/// </summary>
public sealed class AzureTests
{
    private const string AzureKey = "azure-gateway-test-key-0123";

    [Fact]
    public async Task A_request_passes_through_to_the_deployment_with_api_version_and_api_key()
    {
        await using var azure = await FakeAzureUpstream.StartAsync();
        await using var host = await StartAsync(azure);
        const string sent = """{"model":"azure/gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}],"temperature":0.5,"x_unmodelled":{"keep":[1,2,3]},"user":"u-1"}""";

        using var response = await host.PostChatAsync(sent);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Header("x-switchboard-provider").ShouldBe("azure");
        var request = azure.Requests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/openai/deployments/gpt-4o-mini/chat/completions");
        request.Query.ShouldBe("?api-version=2024-10-21");
        request.Headers["api-key"].ShouldBe(AzureKey);
        request.Headers.ContainsKey("authorization").ShouldBeFalse("Azure takes its key in api-key, and the client's bearer token is never forwarded");
        request.BodyText.ShouldBe(sent.Replace("\"azure/gpt-4o-mini\"", "\"gpt-4o-mini\"", StringComparison.Ordinal));
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_sdk_gets_the_completion_and_usage()
    {
        await using var azure = await FakeAzureUpstream.StartAsync();
        await using var host = await StartAsync(azure);

        var completion = (await Client(host).CompleteChatAsync([new UserChatMessage("Hello!")])).Value;

        completion.Content.Single().Text.ShouldBe(FakeOpenAIUpstream.CompletionText);
        completion.Id.ShouldBe(FakeOpenAIUpstream.CompletionId);
        completion.Usage.InputTokenCount.ShouldBe(FakeOpenAIUpstream.PromptTokens);
        completion.Usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeOpenAIUpstream.CachedTokens);
    }

    [Fact]
    public async Task The_sdk_streams_through_azure_with_usage_last()
    {
        await using var azure = await FakeAzureUpstream.StartAsync();
        await using var host = await StartAsync(azure);

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello!")])) updates.Add(update);

        string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)).ShouldBe(FakeOpenAIUpstream.StreamText);
        updates[^1].Usage.ShouldNotBeNull().OutputTokenCount.ShouldBe(FakeOpenAIUpstream.CompletionTokens);
        azure.Requests.ShouldHaveSingleItem().Query.ShouldBe("?api-version=2024-10-21");
    }

    [Fact]
    public async Task The_configured_api_version_is_the_one_sent()
    {
        await using var azure = await FakeAzureUpstream.StartAsync();
        await using var host = await StartAsync(azure, "providers:\n  azure: { api_version: 2025-04-01-preview }\n");

        await Client(host, "azure/prod-gpt-4o").CompleteChatAsync([new UserChatMessage("Hello!")]);

        var request = azure.Requests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/openai/deployments/prod-gpt-4o/chat/completions");
        request.Query.ShouldBe("?api-version=2025-04-01-preview");
    }

    [Fact]
    public async Task A_prompt_the_content_filter_refuses_is_a_400_with_azures_message()
    {
        await using var azure = await FakeAzureUpstream.StartAsync();
        await using var host = await StartAsync(azure);
        azure.Enqueue(UpstreamFault.Status(400, body: FakeAzureUpstream.ContentFilterError));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("azure/gpt-4o-mini"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Code.ShouldBe("content_filter");
        error.Message.ShouldStartWith("The response was filtered due to the prompt triggering Azure OpenAI's content management policy.");
    }

    [Fact]
    public async Task An_unknown_deployment_is_a_404_and_a_refused_key_a_401_that_never_shows_it()
    {
        await using var azure = await FakeAzureUpstream.StartAsync();
        await using var host = await StartAsync(azure);

        using var missing = await host.PostChatAsync(GatewayHost.ChatBody("azure/gpt-5-nowhere"));
        (await missing.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound)).Code.ShouldBe("DeploymentNotFound");

        azure.Enqueue(UpstreamFault.Status(401));
        using var refused = await host.PostChatAsync(GatewayHost.ChatBody("azure/gpt-4o-mini"));
        var error = await refused.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Type.ShouldBe("authentication_error");
        refused.AllHeaders().ShouldNotContain(AzureKey);
    }

    private static Task<GatewayHost> StartAsync(FakeAzureUpstream azure, string yaml = "") =>
        GatewayHost.StartAsync(yaml, env =>
        {
            env["AZURE_OPENAI_API_KEY"] = AzureKey;
            env["AZURE_OPENAI_ENDPOINT"] = azure.Endpoint.ToString();
        });

    private static ChatClient Client(GatewayHost host, string model = "azure/gpt-4o-mini") =>
        new(model, new ApiKeyCredential("sk-client-not-checked"), new OpenAIClientOptions
        {
            Endpoint = host.V1,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
}
